"""``/v1/notes``: curators write notes; anyone reads the published ones."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from server.api.docs import operation
from server.api.requests import body_as, json_body, query_as
from server.app_state import database
from server.auth import Principal, current_principal, require
from server.errors import InvalidInput, NotFound
from server.limits import limiter, write_limit
from server.schemas import (
    SLUG_PATTERN,
    CuratorNoteOut,
    DeleteQuery,
    NoteIn,
    NoteListOut,
    NotePatch,
    NotesQuery,
)
from server.services import notes as note_service
from server.store import feedback as feedback_store
from server.store import notes as note_store
from server.store.models import Note

blueprint = Blueprint("notes", __name__)
MERGE_PATCH = ("application/merge-patch+json", "application/json")
IF_MATCH = {"If-Match": "The ETag of the version being changed (required)."}


def present(
    note: Note, principal: Principal | None, counts: dict[str, object] | None = None
) -> dict[str, object]:
    """A note as this caller may see it: curators also get readers' feedback counts."""
    if principal is None:
        return note_service.to_out(note).model_dump(mode="json")
    out = CuratorNoteOut.model_validate(
        {**note_service.to_out(note).model_dump(), "feedback": counts or {}}
    )
    return out.model_dump(mode="json")


def note_response(note: Note, principal: Principal | None, status: int = 200) -> Response:
    counts = _feedback_of(note, principal)
    response = jsonify(present(note, principal, counts))
    response.status_code = status
    response.headers["ETag"] = _etag(note, counts)
    response.vary.add("Authorization")
    return response


def _feedback_of(note: Note, principal: Principal | None) -> dict[str, Any] | None:
    """Readers' votes on ``note`` if this caller may see them (curators), else None."""
    if principal is None:
        return None
    with database().session() as session:
        return feedback_store.counts(session, [note.id])[note.id]


def _etag(note: Note, counts: dict[str, Any] | None) -> str:
    total = int(counts["helpful"]) + int(counts["not_helpful"]) if counts else 0
    return note_service.etag(note, total)


@blueprint.post("/notes")
@limiter.limit(write_limit)
@operation(
    summary="Create a note",
    tag="notes",
    body=NoteIn,
    auth="curator",
    responses={201: CuratorNoteOut},
    errors=(409,),
)
def create_note() -> Response:
    principal = require("curator")
    data = body_as(NoteIn)
    with database().transaction() as session:
        note = note_service.create_new(session, data, principal.name)
    response = note_response(note, principal, 201)
    response.headers["Location"] = url_for("notes.get_note", note_id=note.id)
    return response


@blueprint.get("/notes")
@operation(
    summary="List and search notes",
    tag="notes",
    query=NotesQuery,
    auth="optional",
    responses={200: NoteListOut},
    description="Anonymous callers see published notes only; curators see every status. "
    "Cursor pagination in id order.",
)
def list_notes() -> dict[str, object]:
    principal = current_principal()
    query = query_as(NotesQuery)
    visible = ["draft", "published", "retired"] if principal else ["published"]
    statuses = [s for s in visible if query.status in (None, s)]
    with database().session() as session:
        notes = note_store.search(
            session,
            statuses=statuses,
            kind=query.kind,
            domain=query.domain,
            text=query.q,
            after_id=_decode_cursor(query.cursor),
            limit=query.limit + 1,
        )
        page, more = notes[: query.limit], len(notes) > query.limit
        counts = feedback_store.counts(session, [n.id for n in page]) if principal else {}
        items = [present(n, principal, counts.get(n.id)) for n in page]
    next_cursor = _encode_cursor(page[-1].id) if more else None
    return {"notes": items, "next_cursor": next_cursor}


@blueprint.get("/notes/<note:note_id>")
@operation(
    summary="Read a note",
    tag="notes",
    auth="optional",
    responses={200: CuratorNoteOut},
    errors=(404,),
    description="Anonymous callers can read published notes only.",
)
def get_note(note_id: str) -> Response:
    principal = current_principal()
    with database().session() as session:
        note = note_store.get(session, note_id)
    if note is None or (principal is None and note.status != "published"):
        raise NotFound(f"No published note has the id {note_id!r}.")
    counts = _feedback_of(note, principal)
    tag = _etag(note, counts)
    if request.if_none_match.contains(tag.strip('"')):
        response = Response(status=304)
        response.headers["ETag"] = tag
        response.vary.add("Authorization")
        return response
    response = jsonify(present(note, principal, counts))
    response.headers["ETag"] = tag
    response.vary.add("Authorization")
    return response


@blueprint.patch("/notes/<note:note_id>")
@limiter.limit(write_limit)
@operation(
    summary="Edit a note (JSON merge patch)",
    tag="notes",
    body=NotePatch,
    body_types=MERGE_PATCH,
    auth="curator",
    headers=IF_MATCH,
    required_headers=("If-Match",),
    responses={200: CuratorNoteOut},
    errors=(404, 412, 428),
)
def patch_note(note_id: str) -> Response:
    principal = require("curator")
    patch = json_body(MERGE_PATCH)
    with database().transaction() as session:
        note = note_service.patch_note(
            session, note_id, patch, request.headers.get("If-Match"), principal.name
        )
    return note_response(note, principal)


@blueprint.delete("/notes/<note:note_id>")
@limiter.limit(write_limit)
@operation(
    summary="Retire a note (admins: ?purge=true deletes it)",
    tag="notes",
    query=DeleteQuery,
    auth="curator",
    responses={204: None},
    headers={"If-Match": "Optional: the ETag of the version being retired."},
    errors=(404, 412),
)
def delete_note(note_id: str) -> Response:
    principal = require("curator")
    query = query_as(DeleteQuery)
    with database().transaction() as session:
        if query.purge:
            require("admin")
            note_service.purge(session, note_id)
        else:
            note_service.retire(session, note_id, request.headers.get("If-Match"), principal.name)
    return Response(status=204)


def _encode_cursor(note_id: str) -> str:
    return base64.urlsafe_b64encode(note_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        note_id = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
        if not re.fullmatch(SLUG_PATTERN, note_id):
            raise ValueError(note_id)
        return note_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "The cursor is not one this server gave out.",
            errors=[{"field": "cursor", "message": "invalid cursor"}],
        ) from None
