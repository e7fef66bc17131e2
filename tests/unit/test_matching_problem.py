"""quote_problem: the server refuses quotes that cannot be matched safely."""

from __future__ import annotations

import pytest

from server.matching import quote_problem
from server.matching.quotes import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "…!?",
        "only four words here",
        "Five words are too few.",
        "The (parenthetical words do not count) minister resigned.",
    ],
)
def test_short_quotes_are_refused(text: str) -> None:
    problem = quote_problem(text)

    assert problem is not None
    assert f"at least {MIN_QUOTE_WORDS} are needed" in problem


def test_the_message_counts_words_after_normalization() -> None:
    problem = quote_problem("“Attack1 (2) on—the city”…")

    assert (
        problem == f"quote has 4 words after normalization; at least {MIN_QUOTE_WORDS} are needed"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The minister resigned on Monday after weeks of pressure.",
        "one two three four five six",
    ],
)
def test_long_enough_quotes_are_fine(text: str) -> None:
    assert quote_problem(text) is None


def test_overlong_quotes_are_refused() -> None:
    text = " ".join(["word"] * (MAX_QUOTE_WORDS + 1))

    problem = quote_problem(text)

    assert (
        problem == f"quote has {MAX_QUOTE_WORDS + 1} words; at most {MAX_QUOTE_WORDS} are allowed"
    )
