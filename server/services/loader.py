"""Loading curated notes from files (``notes/*.yaml`` or ``*.json``) into the database.

Files are validated with the API's own model; a directory loads in one transaction, so a
bad file leaves the database as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from server.errors import field_errors
from server.schemas import NoteIn
from server.services import note_vectors
from server.services import notes as note_service
from server.store import Database
from server.store import notes as note_store

NOTE_SUFFIXES = (".yaml", ".yml", ".json")


class NoteFileError(Exception):
    """A note file that cannot be loaded; says which file and why."""


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{self.counts[k]} {k}" for k in ("created", "updated", "unchanged"))


def note_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in NOTE_SUFFIXES and p.is_file())
    return [path]


def read_note_file(path: Path) -> NoteIn:
    """Parse and validate one file; the id defaults to the file name and must agree with it."""
    try:
        text = path.read_text(encoding="utf-8")
        raw: Any = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise NoteFileError(f"{path}: cannot read: {exc}") from None
    if not isinstance(raw, dict):
        raise NoteFileError(f"{path}: expected a mapping of note fields")
    raw.setdefault("id", path.stem)
    try:
        note = NoteIn.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{e['field']}: {e['message']}" for e in field_errors(exc))
        raise NoteFileError(f"{path}: {problems}") from None
    if note.id != path.stem:
        raise NoteFileError(f"{path}: id {note.id!r} does not match the file name")
    return note


def load_path(
    database: Database, path: Path, author: str = "gloss load", *, only_if_empty: bool = False
) -> LoadReport | None:
    """Upsert every note under ``path`` in one transaction; loading twice changes nothing.

    With ``only_if_empty`` nothing happens when the database already holds notes; the check
    runs under the catalog lock, so several workers starting at once seed only once.
    """
    if not path.exists():
        raise NoteFileError(f"{path}: no such file or directory")
    notes = [read_note_file(p) for p in note_files(path)]
    report = LoadReport()
    with database.transaction() as session:
        note_store.lock_catalog(session)
        if only_if_empty and note_store.count(session) > 0:
            return None
        written: list[Any] = []
        for note in notes:
            report.counts[note_service.upsert(session, note, author, written)] += 1
        note_vectors.store(session, written)
    return report


def seed_if_empty(database: Database, path: Path) -> LoadReport | None:
    """Load the bundled notes on first start, when the database has no notes at all."""
    if not path.is_dir():
        return None
    return load_path(database, path, author="first start", only_if_empty=True)
