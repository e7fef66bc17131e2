"""Stored sentence vectors of notes' claim texts (``NoteVector``). SQL only; trusts its input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.store.models import Note, NoteVector


@dataclass(frozen=True, slots=True)
class StoredVector:
    number: int
    text_sha256: str
    vector: bytes


def replace(
    session: Session,
    note_id: str,
    model: tuple[str, str],
    vectors: Sequence[StoredVector],
) -> None:
    """The note's vectors become exactly ``vectors`` (none: the note has no vectors)."""
    delete_for(session, note_id)
    session.add_all(
        NoteVector(
            note_id=note_id,
            number=v.number,
            model_name=model[0],
            model_version=model[1],
            text_sha256=v.text_sha256,
            vector=v.vector,
        )
        for v in vectors
    )
    session.flush()


def delete_for(session: Session, note_id: str) -> None:
    session.execute(delete(NoteVector).where(NoteVector.note_id == note_id))


def digests_of(session: Session, note_ids: Sequence[str], model: tuple[str, str]) -> set[str]:
    """The SHA-256 of every text of these notes that has a vector of ``model``."""
    if not note_ids:
        return set()
    rows = session.execute(
        select(NoteVector.text_sha256).where(
            NoteVector.note_id.in_(note_ids),
            NoteVector.model_name == model[0],
            NoteVector.model_version == model[1],
        )
    ).scalars()
    return set(rows)


def of_note(session: Session, note_id: str, model: tuple[str, str]) -> dict[int, StoredVector]:
    rows = session.execute(
        select(NoteVector).where(
            NoteVector.note_id == note_id,
            NoteVector.model_name == model[0],
            NoteVector.model_version == model[1],
        )
    ).scalars()
    return {r.number: StoredVector(r.number, r.text_sha256, r.vector) for r in rows}


def changed_since(
    session: Session, generation: int, model: tuple[str, str], batch: int = 5000
) -> Iterator[tuple[str, StoredVector]]:
    """Vectors of ``model`` for notes written after ``generation``, streamed in batches."""
    query = (
        select(NoteVector.note_id, NoteVector.number, NoteVector.text_sha256, NoteVector.vector)
        .join(Note, Note.id == NoteVector.note_id)
        .where(
            Note.seq > generation,
            NoteVector.model_name == model[0],
            NoteVector.model_version == model[1],
        )
        .execution_options(yield_per=batch)
    )
    for note_id, number, sha, vector in session.execute(query):
        yield note_id, StoredVector(number, sha, vector)


def note_ids(session: Session, after: str, limit: int) -> list[str]:
    """Ids of notes in id order after ``after``: what ``gloss reembed`` walks through."""
    return list(
        session.execute(select(Note.id).where(Note.id > after).order_by(Note.id).limit(limit))
        .scalars()
        .all()
    )
