"""Aligning one quote with the page near a seed position, and the acceptance rule.

Both the index and the brute-force reference call ``align_at``; they differ only in how
they find seed positions. The alignment itself is the longest common subsequence of word
ids (rapidfuzz ``LCSseq``) over a window around the seed, cut down to the run of matching
blocks that scores best. The score is the Indel similarity of the quote and that page
stretch, with three refinements measured on real republished text:

* a gap of one or two words on each side counts as matched when the joined words are
  equal ("every thing" / "everything") or a typo of each other (rapidfuzz ratio >= 80);
* page words inside a short parenthetical, and interior parenthetical words of the quote,
  may be left out at no cost ("removed parentheticals");
* a number replaced by another number, or a name by another name, is a different fact:
  such an alignment is rejected outright, however high its score;
* except where ``variants`` finds the same fact: a footnote glued to a word or number, a
  transliterated name, or a word dropped inside a long name counts as matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from server.matching.overlap import pick_disjoint
from server.matching.page import Page
from server.matching.quotes import PreparedQuote
from server.matching.tokens import NAME, NUMBER
from server.matching.variants import dropped_from_name, same_words

SCORE_MIN = 85.0
"""Accepted matches score at least this (0-100, Indel similarity of word sequences)."""
COVERAGE_MIN = 0.8
"""...and hold at least this share of the quote's words."""
STRICT_BELOW = 10
"""Quotes shorter than this must have every word on the page (typos and insertions allowed):
without their first or last word they are common phrases (see README, measurements)."""
PARTIAL_MIN_WORDS = 8
PARTIAL_MIN_SHARE = 0.5
PARTIAL_DENSITY = 0.9
"""A truncated excerpt: >= 8 words and >= half the quote, in a stretch >= 90% matching."""
SEED_SHARE = 0.6
"""Share of the quote a window must hold word for word to be aligned (see ``seed_need``)."""
MAX_GAP = 2
MAX_SWAP = 3
TYPO_MIN_CHARS = 4
TYPO_MIN_RATIO = 80.0
NAME_TYPO_MIN_RATIO = 85.0
MAX_STEPS = 4
EDGE_SLACK = 3


@dataclass(frozen=True, slots=True)
class Alignment:
    """A quote placed on page tokens ``start:end``."""

    start: int
    end: int
    q_start: int
    q_length: int
    """Quote words from ``q_start`` to the last one matched."""
    score: float
    coverage: float
    partial: bool

    @property
    def diagonal(self) -> int:
        """Page position where the quote's first word would sit."""
        return self.start - self.q_start


class _Block(NamedTuple):
    q: int
    p: int
    size: int


def window_pad(length: int) -> int:
    """Words of slack on each side of a seed: room for insertions and parentheticals."""
    return 4 + length // 2


def _similar(qwords: Sequence[str], pwords: Sequence[str], name: bool) -> bool:
    joined_q, joined_p = "".join(qwords), "".join(pwords)
    if joined_q == joined_p:
        return True
    if min(len(joined_q), len(joined_p)) < TYPO_MIN_CHARS:
        return False
    if not (joined_q.isalpha() and joined_p.isalpha()):
        return False
    cutoff = NAME_TYPO_MIN_RATIO if name else TYPO_MIN_RATIO
    return fuzz.ratio(joined_q, joined_p, score_cutoff=cutoff) >= cutoff


def _kinds(kinds: Sequence[int]) -> int:
    bits = 0
    for kind in kinds:
        bits |= kind
    return bits


class _Aligner:
    """One alignment attempt; holds the quote, page and vocabulary words."""

    def __init__(self, quote: PreparedQuote, page: Page, words: Sequence[str]) -> None:
        self.quote = quote
        self.page = page
        self.words = words

    def qwords(self, a: int, b: int) -> list[str]:
        return [self.words[i] for i in self.quote.ids[a:b]]

    def variant(self, qa: int, qb: int, pa: int, pb: int) -> bool:
        """Whether quote words qa:qb and page words pa:pb differ only as ``variants``
        allows: glued footnotes and transliterated names."""
        return same_words(
            self.qwords(qa, qb),
            self.quote.kinds[qa:qb],
            self.page.words[pa:pb],
            self.page.kinds[pa:pb],
        )

    def dropped(self, qa: int, qb: int, pa: int, pb: int) -> bool:
        """Whether the one word of an inner gap that only one side holds is dropped from
        inside a name (name words beside it on both sides, in one passage)."""
        if qb - qa + pb - pa != 1 or self.page.passage[pa - 1] != self.page.passage[pb]:
            return False
        q_kinds, p_kinds = self.quote.kinds, self.page.kinds
        q_left, q_right = q_kinds[qa - 1], q_kinds[qb]
        p_left, p_right = p_kinds[pa - 1], p_kinds[pb]
        if qb > qa:
            return dropped_from_name(q_left, q_kinds[qa], q_right, p_left, p_right)
        return dropped_from_name(p_left, p_kinds[pa], p_right, q_left, q_right)

    def gap(self, qa: int, qb: int, pa: int, pb: int) -> tuple[bool, bool]:
        """(credited, conflicting) for quote words qa:qb facing page words pa:pb."""
        if qa == qb or pa == pb:
            return self.dropped(qa, qb, pa, pb), False
        qkinds = _kinds(self.quote.kinds[qa:qb])
        if qb - qa <= MAX_GAP and pb - pa <= MAX_GAP:
            name = bool(qkinds & NAME)
            if _similar(self.qwords(qa, qb), self.page.words[pa:pb], name):
                return True, False
            if self.variant(qa, qb, pa, pb):
                return True, False
        # Only a short swap inside one passage is a changed fact; a long gap, or one that
        # runs into the next passage, is a truncated or rewritten stretch.
        if qb - qa > MAX_SWAP or pb - pa > MAX_SWAP:
            return False, False
        if self.page.passage[pa - 1] != self.page.passage[pb]:
            return False, False
        return False, bool(qkinds & _kinds(self.page.kinds[pa:pb]) & (NAME | NUMBER))

    def edge(self, qa: int, qb: int, p: int, before: bool) -> tuple[int, bool]:
        """Page words credited for quote words qa:qb left over at one end; conflict flag."""
        count = qb - qa
        if count == 0:
            return 0, False
        if count <= MAX_GAP:
            for take in dict.fromkeys((count, 1, 2)):
                pa, pb = (p - take, p) if before else (p, p + take)
                if pa < 0 or pb > len(self.page):
                    continue
                if _similar(self.qwords(qa, qb), self.page.words[pa:pb], False):
                    return take, False
                if self.variant(qa, qb, pa, pb):
                    return take, False
        # A word or two swapped at the very end ("... in 1998" / "... in 2004") is another
        # fact; a longer leftover is a truncated excerpt, and the page moves on to other text.
        q_near = qb - 1 if before else qa
        p_near, p_edge = (p - 1, p) if before else (p, p - 1)
        if count > MAX_GAP or not 0 <= p_near < len(self.page):
            return 0, False
        if self.page.passage[p_near] != self.page.passage[p_edge]:
            return 0, False
        clash = self.quote.kinds[q_near] & self.page.kinds[p_near] & (NAME | NUMBER)
        return 0, bool(clash)

    def run(self, lo: int, hi: int) -> Alignment | None:
        quote, page = self.quote, self.page
        n = len(quote.ids)
        window = page.ids[lo:hi]
        need = seed_need(quote.required)
        if LCSseq.similarity(quote.ids, window, score_cutoff=need) < need:
            return None
        forward = [
            _Block(b.a, b.b + lo, b.size)
            for b in LCSseq.opcodes(quote.ids, window).as_matching_blocks()
            if b.size
        ]
        first = self._best(forward, n)
        if first is not None and not first.partial and first.q_length == n:
            return first
        # An LCS is rarely unique and either tie-break can strand an end word far away;
        # aligning the reversed sequences breaks ties the other way. Keep the better.
        backward = [
            _Block(n - b.a - b.size, hi - b.b - b.size, b.size)
            for b in reversed(LCSseq.opcodes(quote.ids[::-1], window[::-1]).as_matching_blocks())
            if b.size
        ]
        found = [a for a in (first, self._best(backward, n)) if a is not None]
        return min(found, key=_rank) if found else None

    def _compact(self, blocks: list[_Block]) -> list[_Block]:
        """Join a block to its neighbour when only page words separate them and the block's
        words also stand right beside the neighbour: ties in the LCS otherwise leave a word
        matched to an earlier or later copy of itself, stretching the span."""
        ids, quote = self.page.ids, self.quote.ids
        joined = list(blocks)
        i = 0
        while i + 1 < len(joined):
            left, right = joined[i], joined[i + 1]
            touching = left.q + left.size == right.q
            moved = right.p - left.size
            if (
                touching
                and moved > left.p
                and ids[moved : right.p] == list(quote[left.q : right.q])
            ):
                joined[i : i + 2] = [_Block(left.q, moved, left.size + right.size)]
                i = max(0, i - 1)
                continue
            moved = left.p + left.size
            end = right.q + right.size
            if (
                touching
                and right.p > moved
                and ids[moved : moved + right.size] == list(quote[right.q : end])
            ):
                joined[i : i + 2] = [_Block(left.q, left.p, left.size + right.size)]
                continue
            i += 1
        return joined

    def _best(self, blocks: list[_Block], n: int) -> Alignment | None:
        quote, page = self.quote, self.page
        blocks = self._compact(blocks)
        count = len(blocks)
        # Per block and per inner gap, the quantities a range of blocks adds up.
        size = [b.size for b in blocks]
        opt_q = [sum(quote.optional[b.q : b.q + b.size]) for b in blocks]
        gap_q = [0] * count
        gap_p = [0] * count
        gap_opt_q = [0] * count
        gap_free_p = [0] * count
        clash = [False] * count
        for g in range(count - 1):
            left, right = blocks[g], blocks[g + 1]
            qa, qb = left.q + left.size, right.q
            pa, pb = left.p + left.size, right.p
            credited, clash[g] = self.gap(qa, qb, pa, pb)
            if credited:
                gap_q[g], gap_p[g] = qb - qa, pb - pa
                gap_opt_q[g] = sum(quote.optional[qa:qb])
            else:
                gap_free_p[g] = sum(page.optional[pa:pb])
        total_opt = sum(quote.optional)
        best: tuple[float, int, int, int] | None = None
        for i in range(count):
            mq = mp = opt = free = 0
            for j in range(i, count):
                if j > i:
                    if clash[j - 1]:
                        break
                    mq += gap_q[j - 1]
                    mp += gap_p[j - 1]
                    opt += gap_opt_q[j - 1]
                    free += gap_free_p[j - 1]
                mq += size[j]
                mp += size[j]
                opt += opt_q[j]
                span = blocks[j].p + blocks[j].size - blocks[i].p - free
                required = n - total_opt + opt
                score = (mq + mp) / (required + span)
                if best is None or (score, mq) > (best[0], best[1]):
                    best = (score, mq, i, j)
        assert best is not None
        return self._finish(blocks, best[2], best[3], clash, n)

    def _finish(
        self, blocks: list[_Block], i: int, j: int, clash: list[bool], n: int
    ) -> Alignment | None:
        quote, page = self.quote, self.page
        if (i > 0 and clash[i - 1]) or (j < len(blocks) - 1 and clash[j]):
            return None
        first, last = blocks[i], blocks[j]
        start, end = first.p, last.p + last.size
        q_start, q_end = first.q, last.q + last.size
        mq = mp = 0
        free = 0
        matched = [False] * n
        for g in range(i, j + 1):
            b = blocks[g]
            mq += b.size
            mp += b.size
            matched[b.q : b.q + b.size] = [True] * b.size
            if g < j:
                nxt = blocks[g + 1]
                qa, qb, pa, pb = b.q + b.size, nxt.q, b.p + b.size, nxt.p
                if self.gap(qa, qb, pa, pb)[0]:
                    mq += qb - qa
                    mp += pb - pa
                    matched[qa:qb] = [True] * (qb - qa)
                else:
                    free += sum(page.optional[pa:pb])
        # Ties in the LCS may have placed an end word elsewhere in the window: take back
        # the quote's leftover words that sit right beside the stretch.
        ids = quote.ids
        while q_end < n and end < len(page) and ids[q_end] == page.ids[end]:
            matched[q_end] = True
            q_end, end, mq, mp = q_end + 1, end + 1, mq + 1, mp + 1
        while q_start > 0 and start > 0 and ids[q_start - 1] == page.ids[start - 1]:
            matched[q_start - 1] = True
            q_start, start, mq, mp = q_start - 1, start - 1, mq + 1, mp + 1
        took, bad = self.edge(0, q_start, start, before=True)
        if bad:
            return None
        if took:
            mq += q_start
            mp += took
            matched[0:q_start] = [True] * q_start
            start -= took
            q_start = 0
        took, bad = self.edge(q_end, n, end, before=False)
        if bad:
            return None
        if took:
            mq += n - q_end
            mp += took
            matched[q_end:n] = [True] * (n - q_end)
            end += took
            q_end = n
        required = sum(1 for k in range(n) if matched[k] or not quote.optional[k])
        span = end - start - free
        score = 100.0 * (mq + mp) / (required + span)
        coverage = mq / required
        complete = required >= STRICT_BELOW or mq >= required
        if score >= SCORE_MIN and coverage >= COVERAGE_MIN and complete:
            return Alignment(start, end, q_start, q_end - q_start, score, coverage, partial=False)
        enough = max(PARTIAL_MIN_WORDS, PARTIAL_MIN_SHARE * required)
        if mq >= enough and mp >= PARTIAL_DENSITY * span:
            return Alignment(start, end, q_start, q_end - q_start, score, coverage, partial=True)
        return None


def seed_need(required: int) -> int:
    """Words a window must share with the quote, in order, before it is aligned.

    Acceptance needs 80% of the words (typo credits can supply some of them, so 60% must
    match exactly); a partial match needs max(8, half); the smaller of the two is enough.
    A short quote must be complete, so all but one typo in four words must match exactly.
    """
    if required < STRICT_BELOW:
        return max(1, required - max(1, required // 4))
    accept = ceil(SEED_SHARE * required)
    partial = max(PARTIAL_MIN_WORDS, ceil(PARTIAL_MIN_SHARE * required))
    return max(1, min(accept, partial))


def could_align(ids: list[int], required: int, page: Page, diagonal: int) -> bool:
    """Cheap first look: does the seed window share enough words, in order, to be worth it?"""
    n = len(ids)
    pad = window_pad(n)
    lo, hi = max(0, diagonal - pad), min(len(page), diagonal + n + pad)
    extra = sum(page.optional[lo:hi])
    window = page.ids[max(0, lo - extra) : hi + extra]
    need = seed_need(required)
    return bool(LCSseq.similarity(ids, window, score_cutoff=need) >= need)


def align_at(
    quote: PreparedQuote, page: Page, words: Sequence[str], diagonal: int
) -> Alignment | None:
    """Best alignment of ``quote`` near page position ``diagonal``, re-centred until stable.

    Re-centring on the alignment found makes the result depend on where the quote is, not
    on which seed led there, so the index and brute force agree.
    """
    aligner = _Aligner(quote, page, words)
    n = len(quote.ids)
    pad = window_pad(n)
    lo, hi = diagonal - pad, diagonal + n + pad
    seen: set[tuple[int, int]] = set()
    found: Alignment | None = None
    while (lo, hi) not in seen and len(seen) < MAX_STEPS:
        seen.add((lo, hi))
        lo, hi = max(0, lo), min(len(page), hi)
        if lo >= hi:
            return None
        # Parentheticals cost nothing, so the window stretches over them.
        extra = page.optional_in(lo, hi)
        found = aligner.run(max(0, lo - extra), min(len(page), hi + extra))
        if found is None:
            return None
        # Re-align on a tight window around what was found, with room for the quote words
        # left over at either end: the result then depends on the match, not on the seed.
        missing_before = found.q_start
        missing_after = n - found.q_start - found.q_length
        lo = found.start - missing_before - EDGE_SLACK
        hi = found.end + missing_after + EDGE_SLACK
    return found


def _rank(a: Alignment) -> tuple[bool, float, float, int]:
    return (a.partial, -a.score, -a.coverage, a.start)


def exact_alignment(n: int, start: int) -> Alignment:
    """The alignment of a quote found word for word at ``start``."""
    return Alignment(start, start + n, 0, n, 100.0, 1.0, partial=False)


def keep_best(found: list[Alignment], limit: int | None = None) -> list[Alignment]:
    """Non-overlapping alignments of one quote, best first: accepted, score, then position.

    At most ``limit`` are kept (the best ones); the result is in page order.
    """
    ranked = sorted(found, key=lambda a: (*_rank(a), a.end))
    kept, _ = pick_disjoint(ranked, lambda a: (0, a.start, a.end), limit)
    return sorted(kept, key=lambda a: a.start)
