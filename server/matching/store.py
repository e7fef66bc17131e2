"""Compact storage of prepared quotes: one id array and one flag array for all of them.

A million quotes as Python tuples would cost ~850 bytes each; as slices of two numpy
arrays they cost five bytes a word plus sixteen bytes of bookkeeping. New quotes wait in
plain lists (cheap to append) until the next read folds them into the arrays.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np
import numpy.typing as npt

from server.matching.quotes import PreparedQuote

_OPTIONAL = 4  # flag bit beside tokens.NUMBER (1) and tokens.NAME (2)


class _Column:
    """A numpy array that grows by doubling, so appends cost amortized O(1)."""

    def __init__(self, dtype: type[np.generic]) -> None:
        self._data: npt.NDArray[Any] = np.zeros(16, dtype=dtype)
        self.size = 0

    def extend(self, values: npt.NDArray[Any] | list[int]) -> None:
        """Append ``values`` (copied)."""
        end = self.size + len(values)
        if end > len(self._data):
            grown = np.zeros(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : end] = values
        self.size = end

    def replace(self, values: npt.NDArray[Any]) -> None:
        self._data, self.size = values.copy(), len(values)

    @property
    def view(self) -> npt.NDArray[Any]:
        return self._data[: self.size]

    @property
    def nbytes(self) -> int:
        return self._data.nbytes


class QuoteStore:
    """Quotes by dense integer id (qid); removed qids stay allocated until compaction."""

    def __init__(self) -> None:
        self._id_column = _Column(np.int32)
        self._flag_column = _Column(np.uint8)
        self._offset_column = _Column(np.int64)
        self._length_column = _Column(np.int32)
        self._alive_column = _Column(np.bool_)
        self._required_column = _Column(np.int32)
        self._ids = self._id_column.view
        self._flags = self._flag_column.view
        self._offsets = self._offset_column.view
        self._lengths = self._length_column.view
        self._alive = self._alive_column.view
        self._required = self._required_column.view
        self._new_ids = array("i")
        self._new_flags = array("B")
        self._new_lengths: list[int] = []
        self._new_required: list[int] = []
        self.dead_words = 0
        self.live_words = 0

    def __len__(self) -> int:
        """Number of qids ever allocated, alive or not."""
        return len(self._lengths) + len(self._new_lengths)

    @property
    def nbytes(self) -> int:
        columns = (
            self._id_column,
            self._flag_column,
            self._offset_column,
            self._length_column,
            self._alive_column,
            self._required_column,
        )
        return sum(c.nbytes for c in columns)

    def add(self, quote: PreparedQuote) -> int:
        """Store ``quote`` and return its qid."""
        qid = len(self)
        self._new_ids.extend(quote.ids)
        if any(quote.optional):
            self._new_flags.extend(
                kind | (_OPTIONAL if optional else 0)
                for kind, optional in zip(quote.kinds, quote.optional, strict=True)
            )
        else:
            self._new_flags.extend(quote.kinds)
        self._new_lengths.append(len(quote.ids))
        self._new_required.append(quote.required)
        self.live_words += len(quote.ids)
        return qid

    def add_plain(self, ids: list[int], kinds: list[int], lengths: list[int]) -> range:
        """Store many quotes without optional words (flat ids and kinds); return their qids."""
        first = len(self)
        self._new_ids.extend(ids)
        self._new_flags.extend(kinds)
        self._new_lengths += lengths
        self._new_required += lengths
        self.live_words += len(ids)
        return range(first, first + len(lengths))

    def kill(self, qid: int) -> None:
        """Mark ``qid`` removed; its words are reclaimed by the next ``compact``."""
        self._settle()
        self._alive[qid] = False
        self.dead_words += int(self._lengths[qid])
        self.live_words -= int(self._lengths[qid])

    def _settle(self) -> None:
        """Fold quotes added since the last read into the arrays."""
        if not self._new_lengths:
            return
        lengths = np.array(self._new_lengths, dtype=np.int64)
        starts = self._id_column.size + np.concatenate(([0], np.cumsum(lengths)[:-1]))
        self._offset_column.extend(starts.astype(np.int64))
        self._length_column.extend(self._new_lengths)
        self._required_column.extend(self._new_required)
        self._alive_column.extend(np.ones(len(lengths), dtype=bool))
        self._id_column.extend(np.frombuffer(self._new_ids, dtype=np.int32))
        self._flag_column.extend(np.frombuffer(self._new_flags, dtype=np.uint8))
        self._new_ids, self._new_flags, self._new_lengths = array("i"), array("B"), []
        self._new_required = []
        self._refresh()

    def _refresh(self) -> None:
        self._ids = self._id_column.view
        self._flags = self._flag_column.view
        self._offsets = self._offset_column.view
        self._lengths = self._length_column.view
        self._alive = self._alive_column.view
        self._required = self._required_column.view

    def alive(self) -> npt.NDArray[np.bool_]:
        self._settle()
        return self._alive

    def lengths(self) -> npt.NDArray[np.int32]:
        self._settle()
        return self._lengths

    def columns(self) -> tuple[npt.NDArray[Any], ...]:
        """(word ids, offsets, lengths, required words): read-only views for hot loops."""
        self._settle()
        return self._ids, self._offsets, self._lengths, self._required

    def all_ids(self, qids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
        """Concatenated word ids of ``qids`` with each quote's start in the result."""
        self._settle()
        lengths = self._lengths[qids].astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        source = np.repeat(self._offsets[qids] - starts, lengths)
        flat = source + np.arange(int(lengths.sum()), dtype=np.int64)
        return self._ids[flat].astype(np.int64), starts, lengths

    def get(self, qid: int) -> PreparedQuote:
        offset = int(self._offsets[qid])
        end = offset + int(self._lengths[qid])
        flags = self._flags[offset:end].tolist()
        return PreparedQuote(
            tuple(self._ids[offset:end].tolist()),
            tuple(bool(f & _OPTIONAL) for f in flags),
            tuple(f & ~_OPTIONAL for f in flags),
        )

    def compacted(
        self, word_ids: npt.NDArray[np.int64]
    ) -> tuple[QuoteStore, npt.NDArray[np.int64]]:
        """A new store holding only the live quotes, renumbered densely in qid order, with each
        word id ``w`` replaced by ``word_ids[w]``; and the old qid of each new one."""
        self._settle()
        live = np.flatnonzero(self._alive).astype(np.int64)
        ids, starts, lengths = self.all_ids(live)
        source = np.repeat(self._offsets[live] - starts, lengths)
        flat = source + np.arange(len(ids), dtype=np.int64)
        fresh = QuoteStore()
        fresh._id_column.replace(word_ids[ids].astype(np.int32))
        fresh._flag_column.replace(self._flags[flat])
        fresh._offset_column.replace(starts)
        fresh._length_column.replace(self._lengths[live])
        fresh._alive_column.replace(np.ones(len(live), dtype=bool))
        fresh._required_column.replace(self._required[live])
        fresh.live_words = self.live_words
        fresh._refresh()
        return fresh, live
