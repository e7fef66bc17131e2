"""The acceptance rule applied without an index: the reference the index is tested against.

Seeds come from rapidfuzz ``partial_ratio_alignment`` of each quote against the whole page
(as word ids), repeated with found stretches masked out so every occurrence is seen; each
seed goes through the same ``align_at`` as the index. Exact occurrences are found by a
plain scan first.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from rapidfuzz import fuzz

from server.matching.align import Alignment, align_at, exact_alignment
from server.matching.index import to_matches
from server.matching.page import Page, read_page
from server.matching.quotes import PreparedQuote, Vocabulary, prepare_quote
from server.matching.types import Passage, QuoteMatch

SEED_CUTOFF = 45.0
"""Any window ``align_at`` could accept shares at least half the quote, so scores >= 50."""
_MASK = -2


K = TypeVar("K", bound=Hashable)


def brute_force_match(quotes: Mapping[K, str], passages: Sequence[Passage]) -> list[QuoteMatch]:
    """Every occurrence of every quote, by trying each quote against the whole page."""
    vocabulary = Vocabulary()
    prepared = [(key, prepare_quote(text, vocabulary)) for key, text in quotes.items()]
    page = read_page(passages, vocabulary)
    found: list[tuple[Hashable, int, Alignment]] = []
    for order, (key, quote) in enumerate(prepared):
        for alignment in _occurrences(quote, page, vocabulary.words):
            found.append((key, order, alignment))
    return to_matches(page, found)


def _occurrences(quote: PreparedQuote, page: Page, words: Sequence[str]) -> list[Alignment]:
    """Exact occurrences by scanning, then fuzzy ones from successive masked seeds."""
    ids = page.ids
    q = list(quote.ids)
    n = len(q)
    if n == 0:
        return []
    found = [exact_alignment(n, i) for i in range(len(ids) - n + 1) if ids[i : i + n] == q]
    masked = list(ids)
    for _ in range(len(ids) + 1):
        seed = fuzz.partial_ratio_alignment(q, masked, score_cutoff=SEED_CUTOFF)
        if seed is None or seed.dest_end <= seed.dest_start:
            break
        alignment = align_at(quote, page, words, seed.dest_start - seed.src_start)
        masked[seed.dest_start : seed.dest_end] = [_MASK] * (seed.dest_end - seed.dest_start)
        if alignment is not None:
            found.append(alignment)
            masked[alignment.start : alignment.end] = [_MASK] * (alignment.end - alignment.start)
    return found
