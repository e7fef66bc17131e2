"""The claim index's candidate stage: which rows, in what order, at what score."""

from __future__ import annotations

import math
import random

import numpy as np
import numpy.typing as npt
import pytest

from server.semantic.embedder import DIMENSIONS
from server.semantic.index import ClaimIndex
from server.semantic.terms import terms, terms_of_many

WORDS = [f"word{i}" for i in range(60)]


def _claims(seed: int, count: int) -> list[str]:
    # Skewed word choice, as in real claims: a few words in many rows, most in few.
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, weights=range(60, 0, -1), k=6)) for _ in range(count)]


def _vectors(count: int) -> npt.NDArray[np.float32]:
    return np.ones((count, DIMENSIONS), dtype=np.float32) / math.sqrt(DIMENSIONS)


def _indexed(claims: list[str], drop_every: int = 0) -> ClaimIndex:
    index = ClaimIndex()
    for i, claim in enumerate(claims):
        index.add(f"n{i}", [claim], _vectors(1))
    if drop_every:
        # Removed notes leave free rows that later notes take: postings out of row order.
        for i in range(0, len(claims), drop_every):
            index.remove(f"n{i}")
        for i in range(0, len(claims), drop_every):
            index.add(f"m{i}", [claims[i]], _vectors(1))
    return index


def _reference(
    index: ClaimIndex, words: frozenset[str], top: int
) -> tuple[float, npt.NDArray[np.int64]]:
    """The candidate stage as first written (np.unique over every posting entry)."""
    total = len(index)
    rarest = math.log(1 + (total - 0.5) / 1.5)
    chosen = [w for w in words if w in index._postings]
    weights = [
        math.log(1 + (total - len(index._postings[w]) + 0.5) / (len(index._postings[w]) + 0.5))
        for w in chosen
    ]
    postings = [np.asarray(index._postings[w], dtype=np.int32) for w in chosen]
    touched, which = np.unique(np.concatenate(postings), return_inverse=True)
    scores = np.bincount(which, weights=np.repeat(weights, [len(p) for p in postings]))
    if len(scores) > top:
        keep = np.argpartition(-scores, top)[:top]
        touched, scores = touched[keep], scores[keep]
    order = np.argsort(-scores, kind="stable")
    return float(scores[order[0]]) / rarest, touched[order].astype(np.int64)


@pytest.mark.parametrize("drop_every", [0, 3])
def test_candidates_are_the_same_rows_in_the_same_order_as_the_first_version(
    drop_every: int,
) -> None:
    index = _indexed(_claims(1, 800), drop_every)
    sentences = [terms(s) for s in _claims(2, 200)]

    found = [index.candidates(words, 25) for words in sentences]

    for words, (score, rows) in zip(sentences, found, strict=True):
        expected_score, expected_rows = _reference(index, words, 25)
        assert score == expected_score
        assert rows.tolist() == expected_rows.tolist()


def test_the_lexical_score_alone_is_the_candidates_best_score() -> None:
    index = _indexed(_claims(3, 300))
    sentences = [terms(s) for s in _claims(4, 100)]

    scores = [index.lexical(words, 0.5) for words in sentences]

    assert scores == [index.candidates(words, 10, 0.5)[0] for words in sentences]


def test_words_no_claim_holds_have_no_candidates() -> None:
    index = _indexed(_claims(5, 10))

    assert index.lexical(frozenset({"unheard"})) == 0.0
    assert index.candidates(frozenset({"unheard"}), 10)[1].tolist() == []


@pytest.mark.parametrize(
    "text",
    [
        "Vaccines contain microchips, the mayor says.",
        "The storm¹ destroyed 2,000 houses in Brenmoor2 (a town) [3] last year.",
        "Terror-\nism rose by 5.5 percent in the U.S. and the E.U.",
        "Café owners in Zürich say the law (passed in 1911) is unfair.",
        "@mayor #ImpeachTrump https://t.co/x1 is what they tweeted",
        "",
    ],
)
def test_terms_of_many_texts_are_the_terms_of_each(text: str) -> None:
    texts = [text, text.upper(), "Vaccines cause storms in Brenmoor."]

    assert terms_of_many(texts) == [terms(t) for t in texts]


def test_notes_added_at_once_get_the_rows_and_candidates_of_notes_added_one_by_one() -> None:
    claims = _claims(6, 300)
    notes = [(f"n{i}", claims[i : i + 1 + i % 3]) for i in range(0, 290, 3)]
    notes.append(notes[5])  # a note given twice replaces itself
    rng = np.random.default_rng(6)
    vectors = rng.standard_normal((sum(len(c) for _, c in notes), DIMENSIONS)).astype(np.float32)
    one_by_one, at_once = _indexed(claims[:40], 4), _indexed(claims[:40], 4)

    first = 0
    for note_id, texts in notes:
        one_by_one.add(note_id, list(texts), vectors[first : first + len(texts)])
        first += len(texts)
    at_once.add_many(notes, vectors)

    sentences = [terms(s) for s in _claims(7, 100)]
    assert len(at_once) == len(one_by_one)
    assert at_once.nbytes == one_by_one.nbytes
    assert np.array_equal(at_once._matrix, one_by_one._matrix)
    assert [at_once._rows[r] for r in range(len(at_once._rows))] == one_by_one._rows
    for words in sentences:
        score, rows = at_once.candidates(words, 20)
        assert score == one_by_one.candidates(words, 20)[0]
        assert rows.tolist() == one_by_one.candidates(words, 20)[1].tolist()


def test_ranked_rows_are_the_candidates_with_their_lexical_scores_best_first() -> None:
    index = _indexed(_claims(3, 400), drop_every=7)
    for words in (terms(" ".join(WORDS[40:46])), terms(" ".join(WORDS[:3] + WORDS[55:58]))):
        assert words
        best, rows = index.candidates(words, 50)
        ranked, lexicals = index.ranked(words, 50)
        assert ranked.tolist() == rows.tolist()
        assert lexicals[0] == pytest.approx(best)
        assert np.all(np.diff(lexicals) <= 0)
    assert len(index.ranked(frozenset({"absent"}), 50)[0]) == 0
