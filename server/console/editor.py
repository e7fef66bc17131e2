"""The note editor: create and edit with the API's validation, card preview, "try it", status
buttons, and the merge view when someone else saved first (both versions kept on screen)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.app_state import database, settings
from server.console import card_preview
from server.console.blueprint import blueprint
from server.console.forms import (
    content_from_form,
    errors_by_field,
    form_from_content,
    form_from_note,
)
from server.console.session import current_user, requires
from server.errors import ApiError, InvalidInput, PreconditionFailed
from server.schemas import HttpUrl, NoteFields, NoteIn, Strict, parse
from server.services import notes as note_service
from server.services import page_fetch, revision_diff, tryit
from server.store import notes as note_store
from server.store import triage
from server.store.models import Note

STATUS_ACTIONS = {"publish": "published", "retire": "retired", "restore": "draft"}


def _page(
    note: Note | None, values: dict[str, str], status: int = 200, **extra: Any
) -> tuple[str, int]:
    votes = None
    if note is not None:
        with database().session() as session:
            found = triage.votes(session, None, [note.id])
        votes = found[0] if found else None
    context = {
        "note": note,
        "values": values,
        "errors": {},
        "card": card_preview.card(content_from_form(values)),
        "fetch_allowed": settings().console_fetch,
        "tiers": tryit.TIERS,
        "votes": votes,
        "page_text": request.form.get("page_text", ""),
        "page_url": request.form.get("page_url", ""),
        **extra,
    }
    return render_template("console/edit.html", **context), status


def _load(note_id: str) -> Note:
    with database().session() as session:
        note = note_store.get(session, note_id)
    if note is None:
        abort(404, f"No note has the id {note_id!r}.")
    return note


@blueprint.get("/notes/new")
@requires("curator")
def new_note() -> tuple[str, int]:
    quote = request.args.get("quote", "")[:2000]
    source = request.args.get("source", "")[:2048]
    domain = request.args.get("domain", "")[:253]
    values = form_from_content({"kind": "claim", "status": "draft"})
    values["quotes"] = " ".join(quote.split())
    if source:
        values["sources"] = f"{domain or source} | {source}"
    return _page(None, values)


@blueprint.post("/notes/new")
@requires("curator")
def new_note_post() -> Response | tuple[str, int]:
    values = _form_values()
    action = request.form.get("action", "save")
    if action != "save":
        return _side_action(None, values, action)
    try:
        data = parse(NoteIn, content_from_form(values))
        with database().transaction() as session:
            note = note_service.create_new(session, data, _author())
    except ApiError as exc:
        return _page(None, values, exc.code or 422, errors=_errors_of(exc))
    return redirect(url_for("console.edit_note", note_id=note.id, saved=1), code=303)


@blueprint.get("/notes/<note:note_id>")
@requires("curator")
def edit_note(note_id: str) -> tuple[str, int]:
    note = _load(note_id)
    message = "Saved." if request.args.get("saved") else None
    return _page(note, form_from_note(note), message=message)


@blueprint.post("/notes/<note:note_id>")
@requires("curator")
def edit_note_post(note_id: str) -> Response | tuple[str, int]:
    note = _load(note_id)
    values = _form_values()
    action = request.form.get("action", "save")
    if action != "save":
        return _side_action(note, values, action)
    stored = note_store.content_of(note)
    full = _full_patch(content_from_form(values))
    patch = {name: value for name, value in full.items() if value != stored[name]}  # for history
    try:
        with database().transaction() as session:
            note_service.patch_note(session, note_id, patch, _if_match(), _author())
    except PreconditionFailed:
        return _conflict(note_id, values)
    except ApiError as exc:
        return _page(note, values, exc.code or 422, errors=_errors_of(exc))
    return redirect(url_for("console.edit_note", note_id=note_id, saved=1), code=303)


@blueprint.post("/notes/<note:note_id>/status")
@requires("curator")
def change_status(note_id: str) -> Response | tuple[str, int]:
    target = STATUS_ACTIONS.get(request.form.get("action", ""))
    if target is None:
        abort(400, "Unknown action.")
    try:
        with database().transaction() as session:
            if target == "retired":
                note_service.retire(session, note_id, _if_match(), _author())
            else:
                note_service.patch_note(
                    session, note_id, {"status": target}, _if_match(), _author()
                )
    except PreconditionFailed:
        note = _load(note_id)
        return _page(
            note,
            form_from_note(note),
            409,
            message="Someone changed this note meanwhile: here is the current version. Try again.",
        )
    except ApiError as exc:
        note = _load(note_id)
        return _page(note, form_from_note(note), exc.code or 422, errors=_errors_of(exc))
    return redirect(url_for("console.edit_note", note_id=note_id, saved=1), code=303)


def _conflict(note_id: str, mine: dict[str, str]) -> tuple[str, int]:
    """Someone saved first: keep the curator's text in the form, show theirs beside it."""
    current = _load(note_id)
    theirs = form_from_note(current)
    diffs = {
        name: revision_diff.diff_text(theirs[name], mine.get(name, ""))
        for name in theirs
        if theirs[name].strip() != mine.get(name, "").strip()
    }
    return _page(current, mine, 409, conflict={"theirs": theirs, "diffs": diffs})


def _side_action(note: Note | None, values: dict[str, str], action: str) -> tuple[str, int]:
    """Preview (always drawn) or "try it": nothing is saved."""
    if action != "try":
        return _page(note, values)
    try:
        content = parse(NoteFields, content_from_form(values))
        url, text = _page_source()
        anchors = tryit.try_note(content, tryit.passages_of(text), url)
    except ApiError as exc:
        return _page(note, values, 422, errors=_errors_of(exc))
    return _page(note, values, anchors=anchors, tried=True)


def _page_source() -> tuple[str | None, str]:
    """The page to try against: pasted text, or (if the operator allows) a fetched URL."""
    url = request.form.get("page_url", "").strip() or None
    text = request.form.get("page_text", "")
    if url is not None:
        parse(_UrlForm, {"page_url": url})
        if not text.strip():
            if not settings().console_fetch:
                raise InvalidInput(
                    "Fetching pages is turned off on this server; paste the page's text.",
                    errors=[
                        {
                            "field": "page_url",
                            "message": "fetching is turned off (GLOSS_CONSOLE_FETCH)",
                        }
                    ],
                )
            text = page_fetch.fetch_text(url)
    if not text.strip():
        raise InvalidInput(
            "Paste the page's text first.",
            errors=[{"field": "page_text", "message": "paste a page's text"}],
        )
    if len(text) > settings().max_body_bytes:
        raise InvalidInput(
            "The page is too long.", errors=[{"field": "page_text", "message": "too long"}]
        )
    return url, text


class _UrlForm(Strict):
    page_url: HttpUrl


FORM_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "rating",
    "status",
    "quotes",
    "domains",
    "aliases",
    "sources",
)
"""The fields the editor shows. Others (the reworded switch, imported provenance, reliability
and ratings) are not on the form, so a save leaves them as the note has them."""


def _form_values() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in FORM_FIELDS}


def _full_patch(content: dict[str, Any]) -> dict[str, Any]:
    """Every field the form shows, so what it shows is exactly what is saved (None clears)."""
    patch: dict[str, Any] = {
        name: content.get(name) for name in note_store.CONTENT_FIELDS if name in FORM_FIELDS
    }
    for name in ("quotes", "domains", "aliases", "sources"):
        patch[name] = content.get(name, [])
    return patch


def _if_match() -> str:
    version = request.form.get("version", "")
    return f'"v{version}"' if version.isdigit() else '"v0"'


def _author() -> str:
    user = current_user()
    assert user is not None, "pages that write require a signed-in user"
    return user.name


def _errors_of(exc: ApiError) -> dict[str, list[str]]:
    found = errors_by_field(exc.extra.get("errors") or [])
    if not found:
        found = {"form": [exc.description or exc.title]}
    return found
