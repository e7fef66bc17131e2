"""Our own bundle: ``{"format": "gloss-bundle", "version": 1, "notes": [...]}``.

Each note has the fields of a file in ``notes/`` plus ``created_at``, ``updated_at`` and
``version``, so that importing an export into an empty database reproduces every note exactly.
A bare list of notes, or one note, is accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

BUNDLE_FORMAT = "gloss-bundle"


def items(document: Any) -> list[Any]:
    if isinstance(document, dict) and "notes" in document:
        notes = document["notes"]
        return notes if isinstance(notes, list) else [notes]
    return document if isinstance(document, list) else [document]


def export(notes: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The bundle as JSON text chunks, one note at a time."""
    yield f'{{"format": "{BUNDLE_FORMAT}", "version": 1, "notes": ['
    for i, note in enumerate(notes):
        yield ("," if i else "") + "\n" + json.dumps(note, ensure_ascii=False)
    yield "\n]}\n"
