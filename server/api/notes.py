"""``/v1/notes``: reading published notes."""

from __future__ import annotations

from flask import Blueprint

from server.app_state import database
from server.errors import NotFound
from server.services.notes import to_out
from server.store import notes as note_store

blueprint = Blueprint("notes", __name__)


@blueprint.get("/notes/<note_id>")
def get_note(note_id: str) -> dict[str, object]:
    with database().session() as session:
        note = note_store.get(session, note_id)
        if note is None or note.status != "published":
            raise NotFound(f"No published note has the id {note_id!r}.")
        return to_out(note).model_dump(mode="json")
