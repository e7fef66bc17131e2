"""Writing notes: create, upsert from curated files, and the revision kept for every change."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.schemas import NoteIn, NoteOut
from server.store import notes as note_store
from server.store.models import Note, NoteRevision, utcnow

Outcome = Literal["created", "updated", "unchanged"]


def content_from(data: NoteIn) -> dict[str, Any]:
    """The storable fields of a validated note."""
    dumped = data.model_dump(mode="json")
    return {name: dumped[name] for name in note_store.CONTENT_FIELDS}


def to_out(note: Note) -> NoteOut:
    return NoteOut.model_validate(note, from_attributes=True)


def snapshot(note: Note) -> dict[str, Any]:
    return to_out(note).model_dump(mode="json")


def record_revision(session: Session, note: Note, author: str, summary: str) -> NoteRevision:
    """Keep a full snapshot of the note as it is now; numbered from 1 per note."""
    last = session.execute(
        select(func.max(NoteRevision.number)).where(NoteRevision.note_id == note.id)
    ).scalar()
    revision = NoteRevision(
        note_id=note.id, number=(last or 0) + 1, snapshot=snapshot(note),
        author=author, summary=summary[:300], created_at=utcnow(),
    )  # fmt: skip
    session.add(revision)
    session.flush()
    return revision


def slugify(title: str) -> str:
    """A stable id from a title: ASCII letters and digits joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:72].strip("-")
    return slug if len(slug) >= 3 else f"note-{slug}".strip("-")


def free_id(session: Session, base: str) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken yet."""
    candidate, n = base, 1
    while note_store.get(session, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create(session: Session, note_id: str, data: NoteIn, author: str) -> Note:
    """Insert a note that does not exist yet (the caller checked) and record revision 1."""
    note = note_store.create(session, note_id, content_from(data))
    record_revision(session, note, author, "created")
    return note


def upsert(session: Session, data: NoteIn, author: str) -> Outcome:
    """Create or update a note by id; a note whose content is unchanged is left alone."""
    assert data.id is not None, "upsert needs an id"
    note = note_store.get(session, data.id)
    if note is None:
        create(session, data.id, data, author)
        return "created"
    if not note_store.update_content(session, note, content_from(data)):
        return "unchanged"
    record_revision(session, note, author, "updated from file")
    return "updated"
