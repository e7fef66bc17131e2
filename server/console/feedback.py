"""Feedback triage: notes ranked by readers' not-helpful share over a period; mark as handled."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.app_state import database
from server.console.blueprint import blueprint
from server.console.session import requires
from server.store import notes as note_store
from server.store import triage
from server.store.models import utcnow

PERIODS = {"7": "last 7 days", "30": "last 30 days", "90": "last 90 days", "all": "all time"}
MAX_ROWS = 200


@blueprint.get("/feedback")
@requires("curator")
def feedback() -> str:
    period = request.args.get("period", "30")
    period = period if period in PERIODS else "30"
    open_only = request.args.get("open") == "1"
    since = None if period == "all" else utcnow() - timedelta(days=int(period))
    with database().session() as session:
        rows = [
            v for v in triage.votes(session, since) if v.not_helpful and (v.open or not open_only)
        ]
    return render_template(
        "console/feedback.html",
        rows=rows[:MAX_ROWS],
        period=period,
        periods=PERIODS,
        open_only=open_only,
    )


@blueprint.post("/notes/<note:note_id>/feedback/handled")
@requires("curator")
def mark_handled(note_id: str) -> Response:
    with database().transaction() as session:
        if note_store.get(session, note_id) is None:
            abort(404, f"No note has the id {note_id!r}.")
        triage.mark_handled(session, note_id, utcnow())
    back = request.form.get("back") == "list"
    return redirect(
        url_for("console.feedback") if back else url_for("console.edit_note", note_id=note_id),
        code=303,
    )
