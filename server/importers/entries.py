"""What a source module yields: notes it owns whole, ratings it adds, and refusals."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from server.services.notes import slugify


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """One source entry that becomes one note, owned by the source (``note`` is NoteIn-shaped,
    with ``provenance`` lacking ``imported_at``, which the import stamps)."""

    entry_id: str
    note_id: str
    note: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RatingEntry:
    """One rating set's score for a domain: added to the publisher note that has the domain, or
    to a minimal note for the domain when there is none."""

    domain: str
    rating: dict[str, Any]
    provenance: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Refused:
    """An entry the import will not write, and why (shown in the report)."""

    entry_id: str
    reason: str
    fields: list[str] = field(default_factory=list)


Entry = NoteEntry | RatingEntry | Refused


def note_id_for(prefix: str, entry_id: str, readable: str | None = None) -> str:
    """A note id from a source entry id: the same entry always gets the same id.

    A readable slug when there is a name, and a short hash of the entry id so that two entries
    whose names slug alike never share a note.
    """
    digest = hashlib.sha256(entry_id.encode("utf-8")).hexdigest()
    if readable is None:
        return f"{prefix}-{digest[:16]}"
    return f"{prefix}-{slugify(readable)[:60].strip('-')}-{digest[:6]}"


class Unreadable(ValueError):
    """The file is not in the source's format (or is cut short); entries read before it are
    written, nothing is retired."""
