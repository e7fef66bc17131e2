"""The reworded tier: page sentences that say what a claim note says, in other words.

1. Units: each sentence of each passage, and short passages as a whole (``sentences``).
2. Candidate stage, cheap: a unit is compared by meaning only with the claim rows that share
   its rarest words (``ClaimIndex.candidates``); units sharing too little with every claim
   are never embedded, and of the rest at most ``budget`` fresh ones are embedded per call,
   the most promising first. Vectors of units seen before come from the cache, so asking
   again about the same page reads the next ones (``RewordedFound.unread`` says how many
   are left).
3. Acceptance: of a unit's candidates, the most relevant (cosine plus a little for each rare
   word the unit and the claim share: ``calibration.relevance``) whose cosine similarity is
   >= ``threshold`` (chosen on CLEF 2020 train and dev, see ``calibration``) and that
   disagrees on no number, name or negation (``checks``).
4. Each unit keeps its one best note; each note its non-overlapping best units.

Pure: plain data in, plain data out; the caller holds whatever lock guards the index.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from server.matching import Passage
from server.matching.budget import Budget
from server.matching.page import Page
from server.semantic import calibration
from server.semantic.cache import VectorCache
from server.semantic.checks import disagreement
from server.semantic.embedder import Embedder, Vectors
from server.semantic.index import ClaimIndex, Row
from server.semantic.sentences import PassageWords, Unit, units


@dataclass(frozen=True, slots=True)
class RewordedMatch:
    """A page unit that says what one claim text of a note says."""

    note_id: str
    passage_id: str
    start: int
    end: int
    similarity: float
    score: float
    claim: str


@dataclass(frozen=True, slots=True)
class RewordedFound:
    """What one call found, best first, and how many units that could match it left unread
    (no vector yet: past the call's embedding budget). A caller asking again with the same
    page gets these matches again (their vectors are cached) and the next units read."""

    matches: list[RewordedMatch]
    unread: int = 0


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float = calibration.THRESHOLD
    top: int = calibration.CANDIDATES
    min_lexical: float = calibration.MIN_LEXICAL
    budget: int = calibration.BUDGET


@dataclass(slots=True)
class _Candidate:
    unit: Unit
    lexical: float
    vector: Vectors | None = None
    rows: list[Row] = field(default_factory=list)
    matrix: Vectors | None = field(default=None, repr=False)
    lexicals: npt.NDArray[np.float64] | None = field(default=None, repr=False)


def match(
    passages: Sequence[Passage],
    index: ClaimIndex,
    embedder: Embedder,
    cache: VectorCache,
    settings: Settings,
    exclude: Iterable[str] = (),
    lock: AbstractContextManager[object] | None = None,
    budget: Budget | None = None,
    page: Page | None = None,
) -> RewordedFound:
    """Reworded matches in the passages, best first; notes in ``exclude`` are left out.

    ``lock`` guards the index only while one sentence's candidates are copied out of it:
    splitting, embedding and checking run without it, so index updates and other requests
    never wait for them. ``budget`` stops the candidate stage where it is once spent (the
    caller marks the answer partial), so a huge page costs what any other does. ``page`` is
    the passages as the quote tier read them, whose words the units reuse.
    """
    if not len(index):
        return RewordedFound([])
    guard = lock or nullcontext()
    candidates = _candidates(passages, index, settings, guard, budget, page)
    unread = _vectors(candidates, embedder, cache, settings.budget)
    candidates = [c for c in candidates if c.vector is not None]
    _take(candidates, index, settings, guard)
    skip = set(exclude)
    found: list[RewordedMatch] = []
    for candidate in candidates:
        best = _best(candidate, settings, skip)
        if best is not None:
            found.append(best)
    return RewordedFound(_non_overlapping(found), unread)


def _candidates(
    passages: Sequence[Passage],
    index: ClaimIndex,
    settings: Settings,
    lock: AbstractContextManager[object],
    budget: Budget | None,
    page: Page | None,
) -> list[_Candidate]:
    """Units that share enough rare words with some claim, most promising first."""
    found: list[_Candidate] = []
    for number, passage in enumerate(passages):
        if budget is not None and budget.spent():
            break
        for unit in units(passage.id, passage.text, _words_of(page, number)):
            if budget is not None and budget.spent():
                break
            with lock:
                lexical = index.lexical(unit.terms, settings.min_lexical)
            if lexical > 0.0 and lexical >= settings.min_lexical:
                found.append(_Candidate(unit, lexical))
    found.sort(key=lambda c: -c.lexical)
    return found


def _words_of(page: Page | None, number: int) -> PassageWords | None:
    """Passage ``number``'s word starts and words from the page the quote tier read. It read
    every passage this stage reaches: it stops only once the budget is spent, and so does
    this stage."""
    if page is None:
        return None
    first = bisect_left(page.passage, number)
    last = bisect_left(page.passage, number + 1, first)
    return page.starts[first:last], page.words[first:last]


def _take(
    candidates: list[_Candidate],
    index: ClaimIndex,
    settings: Settings,
    lock: AbstractContextManager[object],
) -> None:
    """Copy the candidate rows of the units that have vectors: only those are scored, so the
    rows of the many units the budget leaves without one are never looked up."""
    for candidate in candidates:
        with lock:
            rows, candidate.lexicals = index.ranked(candidate.unit.terms, settings.top)
            candidate.rows, candidate.matrix = index.take(rows)


def _vectors(
    candidates: list[_Candidate], embedder: Embedder, cache: VectorCache, budget: int
) -> int:
    """Fill in vectors: cached ones for every unit, fresh ones for at most ``budget`` units;
    returns how many units are left without one."""
    fresh: list[tuple[_Candidate, bytes]] = []
    unread = 0
    for candidate in candidates:
        key = cache.key(candidate.unit.text)
        candidate.vector = cache.get(key)
        if candidate.vector is None:
            if len(fresh) < budget:
                fresh.append((candidate, key))
            else:
                unread += 1
    if not fresh:
        return unread
    vectors = embedder.embed([c.unit.text for c, _ in fresh])
    for (candidate, key), vector in zip(fresh, vectors, strict=True):
        candidate.vector = vector
        cache.put(key, vector)
    return unread


def _best(candidate: _Candidate, settings: Settings, skip: set[str]) -> RewordedMatch | None:
    """The most relevant row whose cosine reaches the threshold and that no check rejects."""
    assert candidate.vector is not None
    assert candidate.matrix is not None
    assert candidate.lexicals is not None
    similarities = (candidate.matrix @ candidate.vector).astype(np.float64)
    relevance = calibration.relevance(similarities, candidate.lexicals)
    for position in np.argsort(-relevance, kind="stable"):
        similarity = float(similarities[position])
        row = candidate.rows[int(position)]
        if (
            similarity < settings.threshold
            or row.note_id in skip
            or disagreement(row.claim, candidate.unit.text)
        ):
            continue
        unit = candidate.unit
        return RewordedMatch(
            row.note_id,
            unit.passage_id,
            unit.start,
            unit.end,
            similarity,
            calibration.score(similarity),
            row.claim,
        )
    return None


def _non_overlapping(found: list[RewordedMatch]) -> list[RewordedMatch]:
    """Best first; a unit overlapping a better one (a sentence inside its passage) goes."""
    kept: list[RewordedMatch] = []
    for match in sorted(found, key=lambda m: (-m.similarity, m.end - m.start)):
        if not any(
            k.passage_id == match.passage_id and k.start < match.end and match.start < k.end
            for k in kept
        ):
            kept.append(match)
    return kept
