"""A page as one stream of word tokens across its passages.

Passages are concatenated in the order given, so a quote that runs from the end of one
passage into the next aligns like any other; spans are split per passage only at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from server.matching.budget import Budget
from server.matching.quotes import Vocabulary
from server.matching.tokens import tokenize
from server.matching.types import Passage, Span


@dataclass(slots=True)
class Page:
    """Parallel per-token lists over the whole page, in page order."""

    passage_ids: list[str]
    ids: list[int] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    full: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    full_ends: list[int] = field(default_factory=list)
    passage: list[int] = field(default_factory=list)
    optional: list[bool] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    optional_before: list[int] = field(default_factory=list)
    """Optional tokens before each position (prefix sums, one longer than the page)."""

    def __len__(self) -> int:
        return len(self.words)

    def optional_in(self, lo: int, hi: int) -> int:
        """Optional tokens among ``lo:hi``."""
        return self.optional_before[hi] - self.optional_before[lo]

    def spans(self, start: int, end: int) -> tuple[Span, ...]:
        """Code-point spans covering tokens ``start:end``, one per passage touched."""
        spans: list[Span] = []
        first = start
        for i in range(start + 1, end + 1):
            if i == end or self.passage[i] != self.passage[first]:
                pid = self.passage_ids[self.passage[first]]
                spans.append(Span(pid, self.starts[first], self.ends[i - 1]))
                first = i
        return tuple(spans)


def read_page(
    passages: Sequence[Passage],
    vocabulary: Vocabulary | None = None,
    budget: Budget | None = None,
) -> Page:
    """Tokenize passages; words no quote contains get the id ``UNKNOWN``.

    Passages after the ``budget`` is spent are left out (the page is read up to there).
    """
    page = Page(passage_ids=[p.id for p in passages])
    for number, passage in enumerate(passages):
        if budget is not None and budget.spent():
            break
        tokens = tokenize(passage.text)
        page.words += tokens.words
        page.full += tokens.full
        page.starts += tokens.starts
        page.ends += tokens.ends
        page.full_ends += tokens.full_ends
        page.optional += tokens.optional
        page.kinds += tokens.kinds
        page.passage += [number] * len(tokens.words)
    page.optional_before = [0, *accumulate(page.optional)]
    if vocabulary is not None:
        page.ids = vocabulary.lookup_all(page.words)
    return page


def look_up(page: Page, vocabulary: Vocabulary) -> None:
    """Give the words of a page read without a vocabulary their ids in ``vocabulary``."""
    page.ids = vocabulary.lookup_all(page.words)
