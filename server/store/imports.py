"""The SQL that imports need: notes by id in bulk, who last wrote them, a source's notes.

Storage assumes validated input (see ``server.importers``). Writes stamp notes with the
generation the caller took once per batch, so a batch is one step for every worker's index.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from server.store.models import Note, NoteRevision, utcnow
from server.store.notes import content_of

IMPORT_AUTHOR_PREFIX = "import:"


@dataclass(frozen=True, slots=True)
class History:
    """A note's last revision number, and the last revisions by this importer and by people."""

    last: int
    last_by_importer: int | None
    last_by_person: int | None

    def edited_by_person(self) -> bool:
        """A person changed the note after this importer last wrote it (or it never did)."""
        if self.last_by_person is None:
            return False
        return self.last_by_importer is None or self.last_by_person > self.last_by_importer


def notes_by_id(session: Session, ids: Sequence[str]) -> dict[str, Note]:
    if not ids:
        return {}
    rows = session.execute(select(Note).where(Note.id.in_(ids))).scalars()
    return {note.id: note for note in rows}


def histories(session: Session, ids: Sequence[str], author: str) -> dict[str, History]:
    """For each note id, its revision numbers by ``author`` and by anyone not an importer."""
    if not ids:
        return {}
    is_person = ~NoteRevision.author.startswith(IMPORT_AUTHOR_PREFIX)
    rows = session.execute(
        select(
            NoteRevision.note_id,
            func.max(NoteRevision.number),
            func.max(case((NoteRevision.author == author, NoteRevision.number))),
            func.max(case((is_person, NoteRevision.number))),
        )
        .where(NoteRevision.note_id.in_(ids))
        .group_by(NoteRevision.note_id)
    ).all()
    return {row[0]: History(int(row[1]), row[2], row[3]) for row in rows}


def insert(
    session: Session, note_id: str, content: dict[str, Any], import_source: str, seq: int
) -> Note:
    """A new imported note at version 1."""
    now = utcnow()
    note = Note(
        id=note_id,
        **content,
        created_at=now,
        updated_at=now,
        version=1,
        seq=seq,
        import_source=import_source,
    )
    session.add(note)
    return note


def replace_content(session: Session, note: Note, content: dict[str, Any], seq: int) -> None:
    """New content for an existing note: one version more (the caller saw it differs)."""
    for name, value in content.items():
        setattr(note, name, value)
    note.version += 1
    note.updated_at = utcnow()
    note.seq = seq


def snapshot_of(note: Note) -> dict[str, Any]:
    """What ``services.notes.snapshot`` records, built from the stored (already validated)
    fields without validating them again: an import writes 100,000 of these."""
    return {
        "id": note.id,
        **content_of(note),
        "created_at": _iso(note.created_at),
        "updated_at": _iso(note.updated_at),
        "version": note.version,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def add_revision(
    session: Session, note_id: str, number: int, snapshot: dict[str, Any], author: str, why: str
) -> None:
    session.add(
        NoteRevision(
            note_id=note_id,
            number=number,
            snapshot=snapshot,
            author=author,
            summary=why[:300],
            created_at=utcnow(),
        )
    )


def owned_ids(session: Session, import_source: str, batch: int = 1000) -> Iterator[list[str]]:
    """Ids of the not-yet-retired notes an importer owns, a batch at a time, in id order."""
    after = ""
    while True:
        ids = list(
            session.execute(
                select(Note.id)
                .where(
                    Note.import_source == import_source,
                    Note.status != "retired",
                    Note.id > after,
                )
                .order_by(Note.id)
                .limit(batch)
            ).scalars()
        )
        if ids:
            yield ids
        if len(ids) < batch:
            return
        after = ids[-1]


def publisher_domains(session: Session) -> Iterator[tuple[str, list[str], str | None]]:
    """(id, domains, import_source) of every publisher note that is not retired."""
    rows = session.execute(
        select(Note.id, Note.domains, Note.import_source)
        .where(Note.kind == "publisher", Note.status != "retired")
        .order_by(Note.id)
    )
    for note_id, domains, source in rows:
        yield note_id, list(domains or []), source


def rated_by(session: Session, rating_set: str) -> list[tuple[str, list[Any]]]:
    """(id, ratings) of the publisher notes holding a rating of ``rating_set``."""
    rows = session.execute(
        select(Note.id, Note.ratings).where(Note.kind == "publisher").order_by(Note.id)
    )
    return [
        (note_id, list(ratings))
        for note_id, ratings in rows
        if ratings and any(r.get("set") == rating_set for r in ratings)
    ]
