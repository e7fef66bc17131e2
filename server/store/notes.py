"""Reading and writing notes. Storage assumes validated input (see ``server.schemas``).

Every write bumps the catalog generation in the same transaction and stamps the note with it,
which is how each worker's in-memory index finds out what changed (``changes_since``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, select, update
from sqlalchemy.orm import Session

from server.store.models import CatalogState, Note, NoteTombstone, utcnow
from server.store.search_text import fold

STATUSES = ("draft", "published", "retired")
CONTENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "rating",
    "quotes",
    "domains",
    "aliases",
    "sources",
    "status",
    "provenance",
    "reliability",
    "ratings",
    "reworded",
)
# What a revision written before a field existed stands for (see services.notes.restore).
CONTENT_DEFAULTS: dict[str, Any] = {
    "provenance": None,
    "reliability": None,
    "ratings": [],
    "reworded": True,
}


def next_generation(session: Session) -> int:
    """Bump and return the catalog generation; holds the row lock until the transaction ends."""
    generation = session.execute(
        update(CatalogState)
        .where(CatalogState.id == 1)
        .values(generation=CatalogState.generation + 1)
        .returning(CatalogState.generation)
    ).scalar_one()
    return int(generation)


def lock_catalog(session: Session) -> None:
    """Take the catalog row lock now, for a transaction that must see no concurrent note write."""
    session.execute(select(CatalogState.id).where(CatalogState.id == 1).with_for_update())


def current_generation(session: Session) -> int:
    """The generation of the last committed note write."""
    value = session.execute(select(CatalogState.generation).where(CatalogState.id == 1)).scalar()
    return int(value or 0)


def get(session: Session, note_id: str) -> Note | None:
    return session.get(Note, note_id)


def count(session: Session, status: str | None = None) -> int:
    query = select(func.count()).select_from(Note)
    if status is not None:
        query = query.where(Note.status == status)
    return int(session.execute(query).scalar_one())


def content_of(note: Note) -> dict[str, Any]:
    """The curated fields of a stored note, for comparisons and snapshots."""
    return {name: getattr(note, name) for name in CONTENT_FIELDS}


def create(
    session: Session,
    note_id: str,
    content: dict[str, Any],
    *,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
    version: int = 1,
) -> Note:
    """Insert a new note (version 1 and now, unless an import carries its own)."""
    now = utcnow()
    note = Note(
        id=note_id,
        **content,
        created_at=created_at or now,
        updated_at=updated_at or created_at or now,
        version=version,
        seq=next_generation(session),
    )
    session.add(note)
    session.flush()
    return note


def update_content(session: Session, note: Note, content: dict[str, Any]) -> bool:
    """Apply new content; bump version and generation only if something changed."""
    if content_of(note) == {name: content[name] for name in CONTENT_FIELDS}:
        return False
    for name in CONTENT_FIELDS:
        setattr(note, name, content[name])
    note.version += 1
    note.updated_at = utcnow()
    note.seq = next_generation(session)
    session.flush()
    return True


def purge(session: Session, note: Note) -> None:
    """Delete a note for good, leaving a tombstone for the workers' indexes."""
    seq = next_generation(session)
    existing = session.get(NoteTombstone, note.id)
    if existing is None:
        session.add(NoteTombstone(note_id=note.id, seq=seq))
    else:
        existing.seq = seq
    session.delete(note)
    session.flush()


@dataclass(frozen=True)
class Changes:
    """What changed after a generation: notes as they are now, and ids purged."""

    generation: int
    notes: Sequence[Note]
    purged: Sequence[str]


def changes_since(session: Session, generation: int) -> Changes:
    """Everything written after ``generation`` (all notes when it is -1)."""
    current = current_generation(session)
    notes = session.execute(select(Note).where(Note.seq > generation).order_by(Note.seq)).scalars()
    purged = session.execute(
        select(NoteTombstone.note_id).where(NoteTombstone.seq > generation)
    ).scalars()
    return Changes(current, list(notes), list(purged))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


CURATED = "curated"  # the origin of notes no import owns


def search(
    session: Session,
    *,
    statuses: Sequence[str],
    kind: str | None = None,
    domain: str | None = None,
    text: str | None = None,
    after_id: str | None = None,
    origin: str | None = None,
    limit: int = 50,
) -> list[Note]:
    """Notes in id order, filtered; ``text`` searches title, summary and quotes, case-blind;
    ``origin`` is ``CURATED`` (written by curators) or the import source that owns the notes."""
    query = select(Note).order_by(Note.id).limit(limit)
    if origin == CURATED:
        query = query.where(Note.import_source.is_(None))
    elif origin:
        query = query.where(Note.import_source == origin)
    if set(statuses) != set(STATUSES):  # every status: no filter, so the primary key orders
        query = query.where(Note.status.in_(statuses))
    if kind:
        query = query.where(Note.kind == kind)
    if domain:
        query = query.where(func.lower(cast(Note.domains, String)).like(_like(f'"{domain}"'), "\\"))
    if text:
        query = query.where(Note.search_text.like(_like(fold(text)), "\\"))
    if after_id is not None:
        query = query.where(Note.id > after_id)
    return list(session.execute(query).scalars())


def fingerprint(session: Session) -> tuple[int, int, datetime | None]:
    """Generation, note count and latest change: tells apart two databases (a restored
    backup, say) that happen to be at the same generation."""
    count_, latest = session.execute(select(func.count(), func.max(Note.updated_at))).one()
    return current_generation(session), int(count_), latest


def published_page(session: Session, *, after: str, limit: int) -> list[Note]:
    """Up to ``limit`` published notes with ids after ``after``, in id order."""
    query = (
        select(Note)
        .where(Note.status == "published", Note.id > after)
        .order_by(Note.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())
