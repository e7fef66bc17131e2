"""Word-level diffs between revisions: joining the pieces gives each side back exactly."""

from __future__ import annotations

import pytest

from server.services.revision_diff import Piece, diff_snapshots, diff_text


@pytest.mark.parametrize(
    ("old", "new", "pieces"),
    [
        ("same words", "same words", [Piece("same", "same words")]),
        (
            "the cat sat",
            "the dog sat",
            [
                Piece("same", "the "),
                Piece("del", "cat"),
                Piece("ins", "dog"),
                Piece("same", " sat"),
            ],
        ),
        ("", "new", [Piece("ins", "new")]),
        ("a b", "a", [Piece("same", "a"), Piece("del", " b")]),
    ],
)
def test_diff_is_word_by_word(old: str, new: str, pieces: list[Piece]) -> None:
    assert list(diff_text(old, new)) == pieces


def test_pieces_rebuild_both_sides() -> None:
    old, new = "Apollo 11 landed in 1969 on the Moon.", "Apollo 11 landed on the Moon in July 1969."

    pieces = diff_text(old, new)

    assert "".join(p.text for p in pieces if p.op != "ins") == old
    assert "".join(p.text for p in pieces if p.op != "del") == new


def test_snapshot_diff_marks_changed_fields_only() -> None:
    old = {"title": "T", "quotes": ["a b"], "sources": [{"title": "S", "url": "https://x.org"}]}
    new = {**old, "quotes": ["a b", "c d"]}

    changed = [d.name for d in diff_snapshots(old, new) if d.changed]

    assert changed == ["quotes"]
