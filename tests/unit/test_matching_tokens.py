"""Tokenization and normalization: spans are code points of the text as given."""

from __future__ import annotations

import pytest

from server.matching import Passage, QuoteIndex, Span
from server.matching.normalize import normalize_word
from server.matching.tokens import LINKED, NAME, NUMBER, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Terrorism", "terrorism"),
        ("ﬁnance", "finance"),
        ("ＦＩＮＡＮＣＥ", "finance"),
        ("café", "cafe"),
        ("cafe\u0301", "cafe"),
        ("thr\u200beat", "threat"),
        ("terror\u00adism", "terrorism"),
        ("terror-\nism", "terrorism"),
        ("Ѕоuth", "south"),
        ("ΡΟΤ", "pot"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_word(raw: str, expected: str) -> None:
    assert normalize_word(raw) == expected


def test_spans_are_code_points_after_astral_characters() -> None:
    text = "😀👍🏽 naïve cafe\u0301 𝒳 done"

    tokens = tokenize(text)

    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "naïve",
        "cafe\u0301",
        "𝒳",
        "done",
    ]
    assert tokens.words == ["naive", "cafe", "x", "done"]


def test_footnote_markers_are_dropped() -> None:
    text = "attack1 and attack (2) and attack[3] and attack¹ in 1998 and MP3"

    tokens = tokenize(text)

    assert tokens.words == [
        "attack",
        "and",
        "attack",
        "and",
        "attack",
        "and",
        "attack",
        "in",
        "1998",
        "and",
        "mp3",
    ]
    assert text[tokens.starts[0] : tokens.ends[0]] == "attack"


def test_numbers_and_names_are_flagged() -> None:
    tokens = tokenize("The police said Smith paid 300 pounds. Davies did not.")

    kinds = dict(zip(tokens.words, tokens.kinds, strict=True))

    assert kinds["the"] == 0
    assert kinds["smith"] == NAME | LINKED  # after a space: may continue a name
    assert kinds["300"] == NUMBER
    assert kinds["davies"] == NAME
    assert kinds["police"] == 0


def test_parenthetical_words_are_optional() -> None:
    tokens = tokenize("The minister (who resigned) said so")

    assert tokens.optional == [False, False, True, True, False, False]


def test_unbalanced_bracket_makes_nothing_optional() -> None:
    tokens = tokenize("smile :( and then the minister said so")

    assert not any(tokens.optional)


def test_match_offsets_count_astral_and_combining_characters() -> None:
    index = QuoteIndex()
    index.add("q", "Zoë and Chloé went to the café near the old cathedral")
    text = "🎉👍🏽 Zoe\u0308 and Chloe\u0301 went to the cafe\u0301 near the old cathedral 🏰."

    found = index.match([Passage("p", text)])

    assert [m.spans for m in found] == [(Span("p", 4, 60),)]
    assert text[4:60] == "Zoe\u0308 and Chloe\u0301 went to the cafe\u0301 near the old cathedral"
