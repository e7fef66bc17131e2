"""QuoteIndex: every occurrence of every stored quote on a page, found through k-grams.

Candidate generation: the page's word k-grams are looked up in the inverted index; hits
are grouped by (quote, diagonal = page position - quote position). Only groups with
enough hits are verified, first word for word (the exact pass), then by ``align_at``.
Writes are incremental: ``add`` queues a quote and the next ``match`` indexes the queue as
one small segment; ``remove`` is a tombstone. When the dead words reach a quarter of the live
ones, ``compact`` rewrites the index from its live quotes alone (renumbered quotes, a
vocabulary of the words still in use, one segment per gram size), so an index edited again
and again stays the size of what it holds.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import numpy as np

from server.matching.align import (
    Alignment,
    align_at,
    could_align,
    exact_alignment,
    keep_best,
    window_pad,
)
from server.matching.budget import Budget
from server.matching.kgrams import (
    K_SIZES,
    HashArray,
    IdArray,
    gram_hashes,
    gram_sizes,
    unknown_free,
)
from server.matching.page import Page, look_up, read_page
from server.matching.postings import Postings, make_segment
from server.matching.quotes import (
    MAX_QUOTE_WORDS,
    UNKNOWN,
    PreparedQuote,
    Vocabulary,
    is_plain,
    prepare_plain_batch,
    prepare_quote,
)
from server.matching.store import QuoteStore
from server.matching.types import Passage, QuoteMatch

DIAGONAL_BAND = 8
"""Hits of one quote whose diagonals differ by at most this many words form one candidate."""
COMPACT_SHARE = 0.25
BATCH = 20_000
"""Quotes tokenized together by ``add_many``."""
FLUSH_CHUNK = 100_000
"""Quotes indexed per batch: bounds the temporary arrays of a bulk load."""
HIT_SHARE = 0.2
"""A candidate needs this share of its quote's k-grams on one diagonal band (see README)."""
WINDOW = 10_000
"""Page words searched for candidates at once (see ``plan``)."""
WINDOW_OVERLAP = 2 * (MAX_QUOTE_WORDS + window_pad(MAX_QUOTE_WORDS)) + DIAGONAL_BAND
"""More than the longest stretch an accepted occurrence of the longest quote can span."""


class QuoteIndex:
    """Quotes by caller key; ``match`` finds them on pages. Not thread-safe."""

    def __init__(self) -> None:
        self._vocabulary = Vocabulary()
        self._store = QuoteStore()
        self._qid_of: dict[Hashable, int] = {}
        self._key_of: list[Hashable] = []
        self._postings = {k: Postings() for k in K_SIZES}
        self._pending: list[int] = []

    def __len__(self) -> int:
        return len(self._qid_of)

    def __contains__(self, key: object) -> bool:
        return key in self._qid_of

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._qid_of)

    def add(self, key: Hashable, text: str) -> None:
        """Store ``text`` under ``key``, replacing what ``key`` held."""
        self.remove(key)
        qid = self._store.add(prepare_quote(text, self._vocabulary))
        self._qid_of[key] = qid
        self._key_of.append(key)
        self._pending.append(qid)

    def add_many(self, items: Iterable[tuple[Hashable, str]]) -> None:
        """``add`` for many quotes: the same result, several times faster for a bulk load.

        Quotes with brackets or line breaks go through ``add`` at once, the rest in batches,
        so internal ids may be in a different order: ``match`` reports the same matches, but
        two quotes matched at exactly the same place may come out in the other order.
        """
        batch: dict[Hashable, str] = {}
        for key, text in items:
            if key in batch:
                self._add_batch(batch)
                batch = {}
            if is_plain(text):
                batch[key] = text
            else:
                self.add(key, text)
            if len(batch) >= BATCH:
                self._add_batch(batch)
                batch = {}
        self._add_batch(batch)

    def _add_batch(self, batch: dict[Hashable, str]) -> None:
        if not batch:
            return
        for key in batch:
            self.remove(key)  # first: a removal may compact, which makes a new vocabulary
        prepared = prepare_plain_batch(list(batch.values()), self._vocabulary)
        qids = self._store.add_plain(*prepared)
        self._qid_of.update(zip(batch, qids, strict=True))
        self._key_of += batch
        self._pending += qids

    def remove(self, key: Hashable) -> None:
        """Forget ``key``; no-op if absent."""
        qid = self._qid_of.pop(key, None)
        if qid is None:
            return
        self._store.kill(qid)
        self._key_of[qid] = None
        if self._store.dead_words > COMPACT_SHARE * max(1, self._store.live_words):
            self.compact()

    def compact(self) -> None:
        """Rewrite the index from its live quotes (runs by itself after churn; public for tests).

        Removed quotes leave their ids, their words in the vocabulary and their postings
        behind; this drops all three. Quote and word ids change, so the vocabulary is a new
        object: ``plan`` notices that and starts again (see there).
        """
        self.flush()
        ids, _, _ = self._store.all_ids(np.flatnonzero(self._store.alive()).astype(np.int64))
        present = np.zeros(len(self._vocabulary), dtype=bool)
        present[ids] = True
        used = np.flatnonzero(present)  # np.unique sorts or hashes: several times slower
        word_ids = np.full(len(self._vocabulary), UNKNOWN, dtype=np.int64)
        word_ids[used] = np.arange(len(used), dtype=np.int64)
        self._vocabulary = self._vocabulary.kept(used.tolist(), word_ids.tolist())
        self._store, old_qids = self._store.compacted(word_ids)
        self._key_of = [self._key_of[q] for q in old_qids.tolist()]
        self._qid_of = {key: qid for qid, key in enumerate(self._key_of)}
        self._postings = {k: Postings() for k in K_SIZES}
        self._pending = list(range(len(self._key_of)))
        self.flush()

    def flush(self) -> None:
        """Index queued quotes: one new segment per gram size, built a chunk at a time."""
        pending = [q for q in self._pending if self._key_of[q] is not None]
        self._pending = []
        parts: dict[int, list[tuple[HashArray, IdArray, IdArray]]] = {k: [] for k in K_SIZES}
        for first in range(0, len(pending), FLUSH_CHUNK):
            chunk = np.array(pending[first : first + FLUSH_CHUNK], dtype=np.int64)
            for k, postings in self._postings_of(chunk).items():
                parts[k].append(postings)
        alive = self._store.alive()
        for k, chunks in parts.items():
            if chunks:
                hashes, owners, positions = (np.concatenate(c) for c in zip(*chunks, strict=True))
                self._postings[k].append(make_segment(hashes, owners, positions), alive)

    def _postings_of(self, qids: IdArray) -> dict[int, tuple[HashArray, IdArray, IdArray]]:
        """(hash, qid, position) of every k-gram of ``qids``, unsorted, per gram size."""
        ids, starts, lengths = self._store.all_ids(qids)
        owner = np.repeat(qids.astype(np.int32), lengths)
        position = (np.arange(len(ids), dtype=np.int64) - np.repeat(starts, lengths)).astype(
            np.int32
        )
        remaining = np.repeat(lengths.astype(np.int32), lengths) - position
        own_k = np.repeat(gram_sizes(lengths).astype(np.int8), lengths)
        found = {}
        for k in K_SIZES:
            hashes = gram_hashes(ids, k)
            count = len(hashes)
            valid = (own_k[:count] == k) & (remaining[:count] >= k)
            found[k] = (hashes[valid], owner[:count][valid], position[:count][valid])
        return found

    @property
    def nbytes(self) -> int:
        """Bytes held in numpy arrays (postings and stored words)."""
        return sum(p.nbytes for p in self._postings.values()) + self._store.nbytes

    def match(self, passages: Sequence[Passage]) -> list[QuoteMatch]:
        """Every occurrence of every stored quote, partial ones included, in page order."""
        page = read_page(passages)
        return self.verify(self.plan(page), page)

    def plan(
        self,
        page: Page,
        budget: Budget | None = None,
        guard: AbstractContextManager[object] | None = None,
    ) -> Plan:
        """The candidates of a page read without a vocabulary, copied out of the index.

        The only step that reads the index's arrays. A caller that shares the index between
        threads passes its lock as ``guard``: it is held for one window of the page at a
        time (a vectorized lookup), never for the whole page, and not at all for ``verify``.
        Windows overlap by more than any quote's stretch, so every occurrence lies whole
        inside one; the budget is asked between windows.
        """
        guard = guard or nullcontext()
        while True:
            with guard:
                self.flush()
                vocabulary = self._vocabulary
            look_up(page, vocabulary)  # dict reads only: safe beside a writer
            planned = self._plan_with(page, vocabulary, budget, guard)
            if planned is not None:
                return planned

    def _plan_with(
        self,
        page: Page,
        vocabulary: Vocabulary,
        budget: Budget | None,
        guard: AbstractContextManager[object],
    ) -> Plan | None:
        """``plan`` for a page looked up in ``vocabulary``; None if a compaction replaced it
        meanwhile (the page's word ids and the quotes' would no longer agree)."""
        ids: IdArray = np.array(page.ids, dtype=np.int64)
        quotes: dict[int, tuple[list[int], PreparedQuote]] = {}
        keys: dict[int, Hashable] = {}
        candidates: set[tuple[int, int]] = set()
        for first in range(0, max(1, len(ids) - WINDOW_OVERLAP), WINDOW):
            if budget is not None and budget.spent():
                break
            with guard:
                if self._vocabulary is not vocabulary:
                    return None
                qids, diagonals = self._candidates_in(ids[first : first + WINDOW + WINDOW_OVERLAP])
                for qid in set(qids.tolist()) - quotes.keys():
                    quote = self._store.get(qid)
                    quotes[qid] = (list(quote.ids), quote)
                    keys[qid] = self._key_of[qid]
            candidates.update(zip(qids.tolist(), (diagonals + first).tolist(), strict=True))
        return Plan(sorted(candidates), quotes, keys, vocabulary.words)

    def verify(
        self,
        plan: Plan,
        page: Page,
        budget: Budget | None = None,
        per_quote: int | None = None,
    ) -> list[QuoteMatch]:
        """Align the planned candidates; needs no lock (it reads only the plan and the page).

        Stops when ``budget`` is spent, keeping what was found; ``per_quote`` caps the
        occurrences reported for one quote.
        """
        found: list[tuple[Hashable, int, Alignment]] = []
        page_ids, size = page.ids, len(page)
        for qid, diagonal in plan.candidates:
            if budget is not None and budget.spent():
                break
            ids, quote = plan.quotes[qid]
            n = len(ids)
            alignment: Alignment | None = None
            if 0 <= diagonal <= size - n and page_ids[diagonal : diagonal + n] == ids:
                alignment = exact_alignment(n, diagonal)
            elif could_align(ids, quote.required, page, diagonal):
                alignment = align_at(quote, page, plan.words, diagonal)
            if alignment is not None:
                found.append((plan.keys[qid], qid, alignment))
        return to_matches(page, found, per_quote)

    def _candidates_in(self, ids: IdArray) -> tuple[IdArray, IdArray]:
        """(qid, diagonal) of every hit group with enough hits among the word ids ``ids``."""
        alive = self._store.alive()
        lengths = self._store.lengths()
        diagonals, qids, needed = [], [], []
        for k, postings in self._postings.items():
            usable = unknown_free(ids, k)
            where = np.flatnonzero(usable)
            hashes = gram_hashes(ids, k)[where]
            page_pos, qid, quote_pos = postings.lookup(hashes, alive)
            diagonals.append(where[page_pos] - quote_pos)
            qids.append(qid)
            grams = lengths[qid].astype(np.int64) - k + 1
            needed.append(np.maximum(np.ceil(HIT_SHARE * grams).astype(np.int64), 1))
        diagonal = np.concatenate(diagonals)
        qid = np.concatenate(qids)
        need = np.concatenate(needed)
        if not len(qid):
            return qid, diagonal
        order = np.lexsort((diagonal, qid))
        diagonal, qid, need = diagonal[order], qid[order], need[order]
        new_group = np.ones(len(qid), dtype=bool)
        new_group[1:] = (qid[1:] != qid[:-1]) | (diagonal[1:] - diagonal[:-1] > DIAGONAL_BAND)
        starts = np.flatnonzero(new_group)
        ends = np.append(starts[1:], len(qid))
        hits = ends - starts
        keep = hits >= need[starts]
        middle = (starts + ends - 1) // 2
        return qid[starts[keep]], diagonal[middle[keep]]


@dataclass(frozen=True, slots=True)
class Plan:
    """What verifying a page's candidates needs, copied out of the index by ``plan``.

    ``words`` is the vocabulary's word list, which only ever grows, so reading it while the
    index takes new quotes is safe.
    """

    candidates: list[tuple[int, int]]
    """(qid, diagonal) to align, in qid order."""
    quotes: dict[int, tuple[list[int], PreparedQuote]]
    keys: dict[int, Hashable]
    words: Sequence[str]


def to_matches(
    page: Page, found: list[tuple[Hashable, int, Alignment]], per_quote: int | None = None
) -> list[QuoteMatch]:
    """QuoteMatch objects in page order, one quote's overlapping alignments resolved."""
    by_quote: dict[int, list[Alignment]] = {}
    keys: dict[int, Hashable] = {}
    for key, order, alignment in found:
        by_quote.setdefault(order, []).append(alignment)
        keys[order] = key
    ranked: list[tuple[int, int, int, QuoteMatch]] = []
    for order, alignments in by_quote.items():
        for a in keep_best(alignments, per_quote):
            spans = page.spans(a.start, a.end)
            match = QuoteMatch(
                keys[order], spans, round(a.score, 2), round(a.coverage, 4), a.partial
            )
            ranked.append((a.start, a.end, order, match))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked]
