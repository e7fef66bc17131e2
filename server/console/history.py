"""A note's history: every revision with author and time, a word diff between any two, restore."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.app_state import database
from server.console.blueprint import blueprint
from server.console.session import current_user, requires
from server.errors import PreconditionFailed
from server.services import notes as note_service
from server.services import revision_diff
from server.store import notes as note_store
from server.store import revisions as revision_store


def _number(name: str, default: int, last: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 1 <= int(value) <= last else default


@blueprint.get("/notes/<note:note_id>/history")
@requires("curator")
def history(note_id: str) -> tuple[str, int]:
    with database().session() as session:
        note = note_store.get(session, note_id)
        if note is None:
            abort(404, f"No note has the id {note_id!r}.")
        revisions = list(revision_store.list_for(session, note_id))
    last = revisions[-1].number if revisions else 0
    b = _number("b", last, last)
    a = _number("a", max(1, b - 1), last)
    by_number = {r.number: r for r in revisions}
    diffs = []
    if a in by_number and b in by_number:
        diffs = revision_diff.diff_snapshots(by_number[a].snapshot, by_number[b].snapshot)
    stale = request.args.get("stale") == "1"
    return (
        render_template(
            "console/history.html",
            note=note,
            revisions=revisions,
            a=a,
            b=b,
            diffs=diffs,
            stale=stale,
        ),
        409 if stale else 200,
    )


@blueprint.post("/notes/<note:note_id>/history/<id:number>/restore")
@requires("curator")
def restore(note_id: str, number: int) -> Response:
    user = current_user()
    assert user is not None
    version = request.form.get("version", "")
    if_match = f'"v{version}"' if version.isdigit() else '"v0"'
    try:
        with database().transaction() as session:
            note_service.restore(session, note_id, number, if_match, user.name)
    except PreconditionFailed:
        return redirect(url_for("console.history", note_id=note_id, stale=1), code=303)
    return redirect(url_for("console.edit_note", note_id=note_id, saved=1), code=303)
