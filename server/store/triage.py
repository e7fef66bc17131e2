"""Feedback triage queries: readers' votes per note over a period, and "handled" marks.

Storage assumes validated input: ``since`` is an aware datetime or None (all time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.store.models import Feedback, Note


@dataclass
class NoteVotes:
    """One note's votes in a period; ``open`` counts not-helpful votes nobody handled yet."""

    note_id: str
    title: str
    status: str
    helpful: int = 0
    not_helpful: int = 0
    open: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def share(self) -> float:
        """Share of the votes that say "not helpful" (0-1)."""
        return self.not_helpful / self.total if self.total else 0.0


def votes(
    session: Session, since: datetime | None, note_ids: Sequence[str] | None = None
) -> list[NoteVotes]:
    """Votes per note since ``since``, ranked by not-helpful share, then by not-helpful count."""
    query = (
        select(
            Feedback.note_id,
            Note.title,
            Note.status,
            Feedback.helpful,
            Feedback.reason,
            Feedback.handled_at.is_(None),
            func.count(),
        )
        .join(Note, Note.id == Feedback.note_id)
        .group_by(
            Feedback.note_id,
            Note.title,
            Note.status,
            Feedback.helpful,
            Feedback.reason,
            Feedback.handled_at.is_(None),
        )
    )
    if since is not None:
        query = query.where(Feedback.created_at >= since)
    if note_ids is not None:
        query = query.where(Feedback.note_id.in_(list(note_ids)))
    found: dict[str, NoteVotes] = {}
    for note_id, title, status, helpful, reason, unhandled, n in session.execute(query).all():
        entry = found.setdefault(note_id, NoteVotes(note_id, title, status))
        if helpful:
            entry.helpful += n
            continue
        entry.not_helpful += n
        if unhandled:
            entry.open += n
        if reason:
            entry.reasons[reason] = entry.reasons.get(reason, 0) + n
    return sorted(found.values(), key=lambda v: (-v.share, -v.not_helpful, v.note_id))


def mark_handled(session: Session, note_id: str, when: datetime) -> int:
    """Mark every unhandled vote on a note as handled; returns how many."""
    result = session.execute(
        update(Feedback)
        .where(Feedback.note_id == note_id, Feedback.handled_at.is_(None))
        .values(handled_at=when)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
