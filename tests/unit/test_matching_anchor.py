"""anchor_quote: one stored quote re-anchored with TextQuoteSelector hints."""

from __future__ import annotations

import pytest

from server.matching import Span
from server.matching.anchor import CharMatch, anchor_quote, approx_search

TEXT = "we had everything before us, we had nothing before us, we were all going direct"


@pytest.mark.parametrize(
    ("text", "pattern", "max_errors", "expected"),
    [
        ("three blind mice", "blind", 5, [CharMatch(6, 11, 0)]),
        ("three blind mice", "bliind", 6, [CharMatch(6, 11, 1)]),
        ("facebook", "fcebook", 7, [CharMatch(0, 8, 1)]),
        ("four candles", "foouur", 1, []),
        ("", "x", 1, []),
    ],
)
def test_approx_search(text: str, pattern: str, max_errors: int, expected: list[CharMatch]) -> None:
    assert approx_search(text, pattern, max_errors) == expected


@pytest.mark.parametrize(
    ("prefix", "suffix", "hint", "expected"),
    [
        pytest.param(None, None, None, (18, 27), id="first_of_two_without_hints"),
        pytest.param("we had nothing ", None, None, (44, 53), id="prefix_picks_second"),
        pytest.param(None, ", we were", None, (44, 53), id="suffix_picks_second"),
        pytest.param(None, None, 50, (44, 53), id="hint_picks_nearest"),
    ],
)
def test_context_chooses_among_occurrences(
    prefix: str | None, suffix: str | None, hint: int | None, expected: tuple[int, int]
) -> None:
    found = anchor_quote(TEXT, "before us", prefix=prefix, suffix=suffix, hint=hint)

    assert found == Span("", *expected)


def test_short_quote_allows_character_errors() -> None:
    assert anchor_quote("Many years later, as he faced", "Many yers later") == Span("", 0, 16)


def test_long_quote_uses_the_word_level_rule() -> None:
    text = "Quisque sit amet est et sapien ullamcorper pharetra. Vestibulum erat wisi."

    found = anchor_quote(text, "Quisque sit amet est et sapien ullam triceracorn")

    assert found is None


def test_missing_quote_is_none() -> None:
    assert anchor_quote(TEXT, "bogus") is None
    assert anchor_quote("", "before us") is None
    assert anchor_quote(TEXT, "") is None
