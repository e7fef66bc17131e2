"""The revision history of notes: one full snapshot per change."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from server.store.models import NoteRevision


def list_for(session: Session, note_id: str) -> Sequence[NoteRevision]:
    return (
        session.execute(
            select(NoteRevision)
            .where(NoteRevision.note_id == note_id)
            .order_by(NoteRevision.number)
        )
        .scalars()
        .all()
    )


def get(session: Session, note_id: str, number: int) -> NoteRevision | None:
    return session.execute(
        select(NoteRevision).where(NoteRevision.note_id == note_id, NoteRevision.number == number)
    ).scalar_one_or_none()


def delete_for(session: Session, note_id: str) -> None:
    session.execute(delete(NoteRevision).where(NoteRevision.note_id == note_id))
