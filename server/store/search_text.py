"""The case-folded search column of notes: what ``GET /v1/notes?q=`` compares against.

SQLite's ``lower()`` folds only ASCII, PostgreSQL's follows its locale: searching either with
``lower()`` gave different answers per database and missed ``É`` on SQLite. Folding in Python
(``str.casefold``, every script, ``ß`` → ``ss``) when a note is written, and folding the query
the same way, makes the search the same everywhere and leaves the databases a plain ``LIKE``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper

from server.store.models import Note

SEPARATOR = "\x1f"
"""Between fields, so a query never matches across two of them (queries hold no controls)."""


def fold(text: str) -> str:
    """The case-blind form of ``text``, for stored notes and queries alike."""
    return text.casefold()


def search_text(title: str, summary: str, quotes: Iterable[Any]) -> str:
    """The folded title, summary and quotes of a note, one field after another."""
    return fold(SEPARATOR.join([title, summary, *(str(q) for q in quotes)]))


@event.listens_for(Note, "before_insert")
@event.listens_for(Note, "before_update")
def _keep_current(_mapper: Mapper[Note], _connection: Any, note: Note) -> None:
    """Every write path (API, loader, import, CLI) keeps the column true without knowing it."""
    note.search_text = search_text(note.title, note.summary, note.quotes or [])
