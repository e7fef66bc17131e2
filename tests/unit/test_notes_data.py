"""The curated notes in ``notes/`` are data, and tested like code."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.services.loader import load_path, note_files, read_note_file
from server.store import Database
from tests.conftest import NOTES_DIR, SEED_PAGE

NOTE_FILES = note_files(NOTES_DIR)


def test_there_are_curated_notes() -> None:
    kinds = [read_note_file(p).kind for p in NOTE_FILES]

    assert kinds.count("publisher") >= 2
    assert kinds.count("claim") + kinds.count("sourcing") >= 4


@pytest.mark.parametrize("path", NOTE_FILES, ids=lambda p: p.name)
def test_note_file_validates_with_the_api_model(path: Path) -> None:
    note = read_note_file(path)

    assert note.id == path.stem
    assert note.status == "published"
    assert note.sources, "every curated note cites at least one source"


@pytest.mark.parametrize(
    "path", [p for p in NOTE_FILES if read_note_file(p).quotes], ids=lambda p: p.name
)
def test_quotes_are_verbatim_from_the_example_page(path: Path) -> None:
    page = " ".join(SEED_PAGE.read_text().replace("*", "").split())

    for quote in read_note_file(path).quotes:
        assert " ".join(quote.split()) in page


def test_loading_twice_changes_nothing(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'g.db'}")
    database.create_all()

    first = load_path(database, NOTES_DIR)
    second = load_path(database, NOTES_DIR)

    assert first is not None
    assert second is not None
    assert first.counts["created"] == len(NOTE_FILES)
    assert second.counts == {"unchanged": len(NOTE_FILES)}
