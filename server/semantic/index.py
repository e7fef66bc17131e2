"""Claim texts of the notes that take part in the reworded tier: their terms and vectors.

Each row is one claim text (a quote of a claim note) with its unit vector. Rows live in one
float16 matrix (384 × 2 bytes a row: half of float32, and the cosine of two unit vectors
loses nothing that matters at the thresholds used), with a free list so that notes come and
go without rebuilding. The candidate stage is an inverted index of content terms scored with
BM25's idf: a page sentence is compared by meaning only with the ``top`` rows that share
the rarest words with it, which keeps the cost per sentence independent of the number of
notes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from server.semantic.embedder import DIMENSIONS, Vectors
from server.semantic.terms import terms_of_many

_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Row:
    note_id: str
    claim: str
    terms: frozenset[str]


class ClaimIndex:
    """Claim rows for the candidate stage and the similarity stage; not thread-safe."""

    def __init__(self) -> None:
        self._matrix: npt.NDArray[np.float16] = np.zeros((1024, DIMENSIONS), dtype=np.float16)
        self._rows: list[Row | None] = []
        self._free: list[int] = []
        self._by_note: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        self._arrays: dict[str, npt.NDArray[np.int32]] = {}
        self._alive = 0
        self._version = 0

    def __len__(self) -> int:
        return self._alive

    @property
    def nbytes(self) -> int:
        """Memory held by the vectors."""
        return int(self._matrix.nbytes)

    def add(self, note_id: str, claims: list[str], vectors: Vectors) -> None:
        """Index a note's claim texts with their vectors (one row each); replaces the note."""
        self.add_many([(note_id, claims)], vectors)

    def add_many(
        self, notes: Sequence[tuple[str, Sequence[str]]], vectors: npt.NDArray[np.floating[Any]]
    ) -> None:
        """``add`` for many notes at once (a worker's start-up): the same rows, with the
        claims' terms found together and the vectors copied in one go.

        ``vectors`` holds one row per claim, in the order of ``notes`` and their claims.
        """
        claims = [claim for _, texts in notes for claim in texts]
        if len(vectors) != len(claims):
            raise ValueError(f"{len(claims)} claims but {len(vectors)} vectors")
        if len({note_id for note_id, _ in notes}) < len(notes):
            # A note given twice replaces itself: one at a time, so its first rows go.
            first = 0
            for note in notes:
                self.add_many([note], vectors[first : first + len(note[1])])
                first += len(note[1])
            return
        words_of = iter(terms_of_many(claims))
        placed: list[int] = []
        for note_id, texts in notes:
            self.remove(note_id)
            rows: list[int] = []
            for claim in texts:
                row = self._free.pop() if self._free else len(self._rows)
                if row == len(self._rows):
                    self._rows.append(None)
                words = next(words_of)
                self._rows[row] = Row(note_id, claim, words)
                for word in words:
                    self._postings.setdefault(word, []).append(row)
                    self._arrays.pop(word, None)
                rows.append(row)
            self._by_note[note_id] = rows
            self._alive += len(rows)
            placed += rows
        size = len(self._matrix)
        while size < len(self._rows):
            size *= 2
        if size > len(self._matrix):
            grown = np.zeros((size, DIMENSIONS), dtype=np.float16)
            grown[: len(self._matrix)] = self._matrix
            self._matrix = grown
        if placed:
            self._matrix[placed] = vectors
        self._version += 1

    def remove(self, note_id: str) -> None:
        for row in self._by_note.pop(note_id, []):
            entry = self._rows[row]
            assert entry is not None
            for word in entry.terms:
                posting = self._postings[word]
                posting.remove(row)
                self._arrays.pop(word, None)
                if not posting:
                    del self._postings[word]
            self._rows[row] = None
            self._matrix[row] = 0
            self._free.append(row)
            self._alive -= 1
            self._version += 1

    def row(self, row: int) -> Row:
        entry = self._rows[row]
        assert entry is not None
        return entry

    def _posting(self, word: str) -> npt.NDArray[np.int32]:
        array = self._arrays.get(word)
        if array is None:
            array = np.asarray(self._postings[word], dtype=np.int32)
            self._arrays[word] = array
        return array

    @property
    def version(self) -> int:
        """Changes whenever rows come or go: row numbers taken under one version stay valid
        until it changes."""
        return self._version

    def candidates(
        self, words: frozenset[str], top: int, gate: float = 0.0
    ) -> tuple[float, npt.NDArray[np.int64]]:
        """The best lexical score and the ``top`` rows sharing the most idf weight with ``words``.

        The score is in units of the rarest possible word (a word of one row), so one gate
        means "shares about that many rare words" whether the index holds ten rows or 100k.
        Words whose idf weights together stay below ``gate`` cannot reach it with any row:
        those return at once, before any posting is read (most sentences of most pages).
        """
        rows, lexical = self.ranked(words, top, gate)
        return (float(lexical[0]) if len(rows) else 0.0), rows

    def ranked(
        self, words: frozenset[str], top: int, gate: float = 0.0
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """``candidates``' rows, best first, with each one's lexical score: the tier weighs
        how many rare words a claim shares with a sentence beside their cosine."""
        found = self._scored(words, gate)
        if found is None:
            return _NONE, np.zeros(0)
        touched, scores, rarest = found
        if len(scores) > top:
            keep = np.argpartition(-scores, top)[:top]
            touched, scores = touched[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")
        return touched[order], scores[order] / rarest

    def lexical(self, words: frozenset[str], gate: float = 0.0) -> float:
        """The best lexical score of ``candidates`` alone (0 below the gate's cheap bound): it
        orders a page's units, and only the few that get a vector need their rows."""
        found = self._scored(words, gate)
        return 0.0 if found is None else float(found[1].max()) / found[2]

    def _scored(
        self, words: frozenset[str], gate: float
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float] | None:
        """Rows sharing words with ``words``, their summed idf weights and the rarest word's
        weight; None when no row shares a word or the weights cannot reach ``gate``."""
        total = self._alive
        if not total:
            return None
        rarest = math.log(1 + (total - 0.5) / 1.5)
        chosen: list[str] = []
        weights: list[float] = []
        for word in words:
            posting = self._postings.get(word)
            if posting is not None:
                chosen.append(word)
                weights.append(math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5)))
        if not chosen or sum(weights) < gate * rarest:
            return None
        touched, scores = self._sums([self._posting(w) for w in chosen], weights)
        return touched, scores, rarest

    @staticmethod
    def _sums(
        postings: list[npt.NDArray[np.int32]], weights: list[float]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The rows the postings touch (a few thousand, not every row), ascending, and the sum
        of the weights of the postings that hold each.

        Each entry becomes one key, row then posting number, and the keys are sorted: a
        posting is mostly in row order, so a merge sort only merges a few runs, where
        ``np.unique`` sorted every entry from scratch (the largest part of the stage). A
        row's weights are summed in posting order, as before, so scores are the same floats.
        """
        shift = max(1, (len(postings) - 1).bit_length())
        keys = np.concatenate(postings, dtype=np.int64)
        keys <<= shift
        keys += np.repeat(np.arange(len(postings), dtype=np.int64), [len(p) for p in postings])
        keys.sort(kind="stable")
        rows = keys >> shift
        first = np.empty(len(rows), dtype=bool)
        first[0] = True
        np.not_equal(rows[1:], rows[:-1], out=first[1:])
        which = np.cumsum(first)
        which -= 1
        owners = np.asarray(weights)[keys & ((1 << shift) - 1)]
        scores = np.bincount(which, weights=owners).astype(np.float64, copy=False)
        return rows[first], scores

    def take(self, rows: npt.NDArray[np.int64]) -> tuple[list[Row], Vectors]:
        """Copies of ``rows`` and their vectors, to score after the caller lets go of its lock."""
        entries = [self.row(int(r)) for r in rows]
        return entries, self._matrix[rows].astype(np.float32)

    def similarities(self, vector: Vectors, rows: npt.NDArray[np.int64]) -> Vectors:
        """Cosine of a unit vector with each of ``rows``."""
        return (self._matrix[rows].astype(np.float32) @ vector).astype(np.float32)

    def all_similarities(self, vector: Vectors) -> Vectors:
        """Cosine with every row (dead rows score 0); for measurements, not the hot path."""
        return (self._matrix[: len(self._rows)].astype(np.float32) @ vector).astype(np.float32)
