"""Readers' votes on cards: stored as counts' raw material, with no reader identity or page text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.store.models import Feedback, utcnow


def add(session: Session, note_id: str, helpful: bool, reason: str | None) -> None:
    session.add(Feedback(note_id=note_id, helpful=helpful, reason=reason, created_at=utcnow()))


def counts(session: Session, note_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{note_id: {helpful, not_helpful, reasons}}`` for each id (zeros when none)."""
    ids = list(note_ids)
    result: dict[str, dict[str, Any]] = {
        i: {"helpful": 0, "not_helpful": 0, "reasons": {}} for i in ids
    }
    if not ids:
        return result
    rows = session.execute(
        select(Feedback.note_id, Feedback.helpful, Feedback.reason, func.count())
        .where(Feedback.note_id.in_(ids))
        .group_by(Feedback.note_id, Feedback.helpful, Feedback.reason)
    ).all()
    for note_id, helpful, reason, n in rows:
        entry = result[note_id]
        entry["helpful" if helpful else "not_helpful"] += n
        if reason:
            entry["reasons"][reason] = entry["reasons"].get(reason, 0) + n
    return result
