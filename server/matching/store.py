"""Compact storage of prepared quotes: one id array and one flag array for all of them.

A million quotes as Python tuples would cost ~850 bytes each; as slices of two numpy
buffers they cost about five bytes a word plus a few bytes of bookkeeping.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from server.matching.quotes import PreparedQuote

_OPTIONAL = 4  # flag bit beside tokens.NUMBER (1) and tokens.NAME (2)


class _Buffer:
    """An append-only numpy array with amortized O(1) appends."""

    def __init__(self, dtype: type[np.generic]) -> None:
        self.data: npt.NDArray[np.generic] = np.zeros(1024, dtype=dtype)
        self.size = 0

    def extend(self, values: list[int]) -> int:
        """Append ``values``; return the offset of the first one."""
        start, end = self.size, self.size + len(values)
        if end > len(self.data):
            grown = np.zeros(max(end, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[start:end] = values
        self.size = end
        return start

    def view(self) -> npt.NDArray[np.generic]:
        return self.data[: self.size]


class QuoteStore:
    """Quotes by dense integer id (qid); removed qids stay allocated until compaction."""

    def __init__(self) -> None:
        self._ids = _Buffer(np.int32)
        self._flags = _Buffer(np.uint8)
        self._offsets = _Buffer(np.int64)
        self._lengths = _Buffer(np.int32)
        self._alive = _Buffer(np.bool_)
        self.dead_words = 0

    def __len__(self) -> int:
        """Number of qids ever allocated, alive or not."""
        return self._lengths.size

    def add(self, quote: PreparedQuote) -> int:
        """Store ``quote`` and return its qid."""
        flags = [
            kind | (_OPTIONAL if optional else 0)
            for kind, optional in zip(quote.kinds, quote.optional, strict=True)
        ]
        offset = self._ids.extend(list(quote.ids))
        self._flags.extend(flags)
        self._offsets.extend([offset])
        self._alive.extend([1])
        return self._lengths.extend([len(quote.ids)])

    def kill(self, qid: int) -> None:
        """Mark ``qid`` removed; its words are reclaimed by the next ``compact``."""
        self._alive.data[qid] = False
        self.dead_words += int(self._lengths.data[qid])

    @property
    def nbytes(self) -> int:
        buffers = (self._ids, self._flags, self._offsets, self._lengths, self._alive)
        return sum(b.data.nbytes for b in buffers)

    def alive(self) -> npt.NDArray[np.bool_]:
        return self._alive.view().astype(bool)

    def length(self, qid: int) -> int:
        return int(self._lengths.data[qid])

    def lengths(self) -> npt.NDArray[np.int32]:
        return self._lengths.view().astype(np.int32)

    def ids(self, qid: int) -> npt.NDArray[np.int32]:
        offset = int(self._offsets.data[qid])
        return self._ids.data[offset : offset + self.length(qid)].astype(np.int32)

    def all_ids(self, qids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
        """Concatenated word ids of ``qids`` with each quote's start in the result."""
        lengths = self._lengths.view()[qids].astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        source = np.repeat(self._offsets.view()[qids].astype(np.int64) - starts, lengths)
        flat = source + np.arange(int(lengths.sum()), dtype=np.int64)
        return self._ids.view()[flat].astype(np.int64), starts, lengths

    def get(self, qid: int) -> PreparedQuote:
        offset = int(self._offsets.data[qid])
        end = offset + self.length(qid)
        flags = self._flags.data[offset:end].tolist()
        return PreparedQuote(
            tuple(self._ids.data[offset:end].tolist()),
            tuple(bool(f & _OPTIONAL) for f in flags),
            tuple(f & ~_OPTIONAL for f in flags),
        )

    def compact(self) -> None:
        """Drop the words of removed quotes; qids stay as they are."""
        ids, flags = _Buffer(np.int32), _Buffer(np.uint8)
        alive = self._alive.view()
        offsets = self._offsets.view()
        for qid in np.flatnonzero(alive).tolist():
            offset, length = int(offsets[qid]), self.length(qid)
            offsets[qid] = ids.extend(self._ids.data[offset : offset + length].tolist())
            flags.extend(self._flags.data[offset : offset + length].tolist())
        self._ids, self._flags = ids, flags
        self.dead_words = 0
