"""``/v1/notes/{id}/revisions``: the history of a note, and restoring an old version."""

from __future__ import annotations

from flask import Blueprint, Response, request

from server.api.docs import operation
from server.api.notes import note_response
from server.app_state import database
from server.auth import require
from server.errors import NotFound
from server.schemas import CuratorNoteOut, RevisionListOut, RevisionOut
from server.services import notes as note_service
from server.store import notes as note_store
from server.store import revisions as revision_store
from server.store.models import NoteRevision

blueprint = Blueprint("revisions", __name__)


def _summary(revision: NoteRevision) -> dict[str, object]:
    return {
        "number": revision.number,
        "version": revision.snapshot["version"],
        "author": revision.author,
        "summary": revision.summary,
        "created_at": revision.created_at.isoformat(),
    }


@blueprint.get("/notes/<note:note_id>/revisions")
@operation(
    summary="List a note's revisions",
    tag="revisions",
    auth="curator",
    responses={200: RevisionListOut},
    errors=(404,),
)
def list_revisions(note_id: str) -> dict[str, object]:
    require("curator")
    with database().session() as session:
        if note_store.get(session, note_id) is None:
            raise NotFound(f"No note has the id {note_id!r}.")
        revisions = revision_store.list_for(session, note_id)
        return {"revisions": [_summary(r) for r in revisions]}


@blueprint.get("/notes/<note:note_id>/revisions/<id:number>")
@operation(
    summary="Read one revision (a full snapshot)",
    tag="revisions",
    auth="curator",
    responses={200: RevisionOut},
    errors=(404,),
)
def get_revision(note_id: str, number: int) -> dict[str, object]:
    require("curator")
    with database().session() as session:
        revision = revision_store.get(session, note_id, number)
        if revision is None:
            raise NotFound(f"Note {note_id!r} has no revision {number}.")
        return {**_summary(revision), "note": revision.snapshot}


@blueprint.post("/notes/<note:note_id>/revisions/<id:number>/restore")
@operation(
    summary="Restore a revision (as a new revision)",
    tag="revisions",
    auth="curator",
    headers={"If-Match": "Optional: the ETag of the current version."},
    responses={200: CuratorNoteOut},
    errors=(404, 412),
)
def restore_revision(note_id: str, number: int) -> Response:
    principal = require("curator")
    with database().transaction() as session:
        note = note_service.restore(
            session, note_id, number, request.headers.get("If-Match"), principal.name
        )
    return note_response(note, principal)
