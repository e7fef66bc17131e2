"""Which claim a sentence gets: the most relevant (cosine plus the rare words both share)
whose cosine reaches the threshold."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from server.matching import Passage
from server.semantic import calibration
from server.semantic.cache import VectorCache
from server.semantic.embedder import DIMENSIONS
from server.semantic.index import ClaimIndex
from server.semantic.tier import Settings, match

SENTENCE = "The Skarvholm lighthouse keepers were paid in barrels of herring."
SHARES_RARE_WORDS = "Skarvholm lighthouse keepers received herring barrels as wages."
SHARES_LITTLE = "Coastal workers were once paid in fish rather than money."
FILLER = [f"Claim number {i} is about harbour taxes and ferry timetables." for i in range(40)]


class _Embedder:
    """Every text at one cosine from the sentence: only shared words can tell claims apart."""

    def __init__(self, cosine: float) -> None:
        base = np.zeros(DIMENSIONS, dtype=np.float32)
        base[0] = 1.0
        other = np.zeros(DIMENSIONS, dtype=np.float32)
        other[0], other[1] = cosine, math.sqrt(1 - cosine**2)
        self._sentence, self._claim = base, other

    def embed(self, texts: list[str]) -> Any:
        return np.stack([self._sentence for _ in texts])

    def claim(self) -> Any:
        return self._claim[None, :]


def _index(embedder: _Embedder) -> ClaimIndex:
    index = ClaimIndex()
    for number, claim in enumerate([SHARES_LITTLE, SHARES_RARE_WORDS, *FILLER]):
        index.add(f"note-{number}", [claim], embedder.claim())
    return index


def _cards(cosine: float) -> list[Any]:
    embedder = _Embedder(cosine)
    return match(
        [Passage("p0", SENTENCE)],
        _index(embedder),
        embedder,  # type: ignore[arg-type]
        VectorCache(1 << 20),
        Settings(),
    ).matches


def test_at_the_same_cosine_the_claim_sharing_rare_words_is_the_card() -> None:
    found = _cards(0.8)
    assert [m.note_id for m in found] == ["note-1"]
    assert found[0].claim == SHARES_RARE_WORDS
    assert abs(found[0].similarity - 0.8) < 1e-3
    assert 0 < found[0].score <= 100


def test_shared_rare_words_never_make_a_card_below_the_cosine_threshold() -> None:
    assert _cards(calibration.THRESHOLD - 0.02) == []


def test_relevance_adds_a_tenth_of_the_lexical_score_to_cosine() -> None:
    assert calibration.relevance(0.7, 2.0) == 0.7 + calibration.LEXICAL_WEIGHT * 2.0
    assert calibration.score(0.8) > calibration.score(0.7)
