"""Re-anchoring one quote in one text with TextQuoteSelector hints (prefix, suffix, position).

This is for a single known quote, such as a stored annotation, not for matching a page
against every note. It follows Hypothesis's ``match-quote.ts``: exact occurrences first;
otherwise, for quotes too short for the word-level rule, an approximate character search
allowing ``len(quote) / 2`` edits (``approx_search``, Myers' bit-parallel algorithm); for
longer quotes the word-level acceptance rule of ``align.py`` decides instead, because half a
long quote in errors is far too lenient. Candidates are ranked by quote similarity (50),
prefix (20) and suffix (20) similarity and closeness to the hint (2).
"""

from __future__ import annotations

from dataclasses import dataclass

from server.matching.brute import brute_force_match
from server.matching.quotes import quote_problem
from server.matching.types import Passage, Span

QUOTE_WEIGHT = 50.0
PREFIX_WEIGHT = 20.0
SUFFIX_WEIGHT = 20.0
POSITION_WEIGHT = 2.0
MAX_CHAR_ERRORS = 256


@dataclass(frozen=True, slots=True)
class CharMatch:
    """``text[start:end]`` is ``errors`` edits (Levenshtein) away from the pattern."""

    start: int
    end: int
    errors: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """A ranked place for a quote; ``score`` is 0-1."""

    start: int
    end: int
    score: float


def _match_ends(text: str, pattern: str, max_errors: int) -> tuple[list[int], int]:
    """Ends of the substrings of ``text`` closest to ``pattern`` (Myers 1999), and their cost."""
    m = len(pattern)
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    best, ends = max_errors, list[int]()
    for j, char in enumerate(text):
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score < best:
            best, ends = score, []
        if score == best:
            ends.append(j + 1)
    return ends, best


def _longest_start(text: str, pattern: str, end: int, errors: int) -> int:
    """Smallest start such that ``text[start:end]`` is ``errors`` edits from ``pattern``."""
    window = text[max(0, end - len(pattern) - errors) : end][::-1]
    reverse = pattern[::-1]
    row = list(range(len(window) + 1))
    for i, char in enumerate(reverse, start=1):
        previous, row = row, [i] + [0] * len(window)
        for j, other in enumerate(window, start=1):
            row[j] = min(
                previous[j] + 1,
                row[j - 1] + 1,
                previous[j - 1] + (char != other),
            )
    length = max(j for j, cost in enumerate(row) if cost == errors)
    return end - length


def approx_search(text: str, pattern: str, max_errors: int) -> list[CharMatch]:
    """Substrings of ``text`` with the fewest edits from ``pattern``, if at most ``max_errors``.

    Like approx-string-match-js: only the lowest-cost matches, one per end position, each
    extended to its longest start.
    """
    if not pattern or not text:
        return []
    ends, errors = _match_ends(text, pattern, max_errors)
    return [CharMatch(_longest_start(text, pattern, e, errors), e, errors) for e in ends]


def _context_score(text: str, context: str) -> float:
    if not context or not text:
        return 0.0
    found = approx_search(text, context, len(context))
    return 1.0 - found[0].errors / len(context) if found else 0.0


def rank_anchors(
    text: str,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    hint: int | None = None,
) -> list[Anchor]:
    """Every acceptable place for ``exact`` in ``text``, best first.

    Ties go to the candidate whose length is closest to the quote's (an approximate search
    finds several ends at the same cost), then to the earliest.
    """
    if not exact or not text:
        return []
    candidates = _candidates(text, exact)
    total = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
    ranked = []
    for start, end, similarity in candidates:
        score = QUOTE_WEIGHT * similarity
        score += PREFIX_WEIGHT * (
            _context_score(text[max(0, start - len(prefix)) : start], prefix) if prefix else 1.0
        )
        score += SUFFIX_WEIGHT * (
            _context_score(text[end : end + len(suffix)], suffix) if suffix else 1.0
        )
        score += POSITION_WEIGHT * (
            1.0 - abs(start - hint) / len(text) if hint is not None else 1.0
        )
        ranked.append(Anchor(start, end, score / total))
    return sorted(ranked, key=lambda a: (-a.score, abs(a.end - a.start - len(exact)), a.start))


def _candidates(text: str, exact: str) -> list[tuple[int, int, float]]:
    """(start, end, quote similarity 0-1) of exact, word-level or character-level matches."""
    exact_starts = []
    at = text.find(exact)
    while at != -1:
        exact_starts.append(at)
        at = text.find(exact, at + 1)
    if exact_starts:
        return [(s, s + len(exact), 1.0) for s in exact_starts]
    if quote_problem(exact) is None:
        found = brute_force_match({0: exact}, [Passage("", text)])
        return [(m.spans[0].start, m.spans[0].end, m.score / 100.0) for m in found if not m.partial]
    max_errors = min(MAX_CHAR_ERRORS, len(exact) // 2)
    return [
        (m.start, m.end, 1.0 - m.errors / len(exact))
        for m in approx_search(text, exact, max_errors)
    ]


def anchor_quote(
    text: str,
    exact: str,
    prefix: str | None = None,
    suffix: str | None = None,
    hint: int | None = None,
    passage_id: str = "",
) -> Span | None:
    """Where a single stored quote sits in ``text`` now, or None if it is gone."""
    ranked = rank_anchors(text, exact, prefix, suffix, hint)
    if not ranked:
        return None
    return Span(passage_id, ranked[0].start, ranked[0].end)
