"""Inverted index from word k-gram hash to (quote id, position in quote).

Postings live in sorted numpy segments searched with ``searchsorted``. New quotes form a
small segment; a segment is merged with its predecessor while that one is less than
``MERGE_RATIO`` times bigger (a log-structured merge), so adding quotes one at a time costs
O(log n) amortized array work per posting, never a full rebuild. Merging two sorted
segments is a linear ``searchsorted`` interleave, not a sort. Removed quotes are filtered
out at lookup by an ``alive`` mask and dropped from the arrays at the next merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from server.matching.kgrams import HashArray, IdArray

MERGE_RATIO = 4


@dataclass(frozen=True, slots=True)
class Segment:
    """Postings sorted by hash: 4 + 4 + 2 bytes each."""

    hashes: HashArray
    qids: npt.NDArray[np.int32]
    positions: npt.NDArray[np.uint16]

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def nbytes(self) -> int:
        return self.hashes.nbytes + self.qids.nbytes + self.positions.nbytes

    def without(self, alive: npt.NDArray[np.bool_]) -> Segment:
        """This segment minus the postings of removed quotes."""
        keep = alive[self.qids]
        if keep.all():
            return self
        return Segment(self.hashes[keep], self.qids[keep], self.positions[keep])


def make_segment(
    hashes: HashArray, qids: npt.NDArray[np.integer[Any]], positions: npt.NDArray[np.integer[Any]]
) -> Segment:
    """Sort postings by hash.

    Hash, qid and position are packed into one uint64 and sorted as values, which is
    several times faster than an argsort and three gathers; qids past 2**23 or positions
    past 511 take the argsort.
    """
    if len(qids) and int(qids.max()) < 1 << 23 and int(positions.max()) < 1 << 9:
        packed = hashes.astype(np.uint64) << np.uint64(32)
        packed |= qids.astype(np.uint64) << np.uint64(9)
        packed |= positions.astype(np.uint64)
        packed.sort()
        return Segment(
            (packed >> np.uint64(32)).astype(np.uint32),
            ((packed >> np.uint64(9)) & np.uint64((1 << 23) - 1)).astype(np.int32),
            (packed & np.uint64(511)).astype(np.uint16),
        )
    order = np.argsort(hashes)
    return Segment(hashes[order], qids[order].astype(np.int32), positions[order].astype(np.uint16))


def merge(older: Segment, newer: Segment, alive: npt.NDArray[np.bool_]) -> Segment:
    """One sorted segment holding the live postings of both."""
    older, newer = older.without(alive), newer.without(alive)
    size = len(older) + len(newer)
    slots = np.searchsorted(older.hashes, newer.hashes, side="right")
    slots += np.arange(len(newer), dtype=slots.dtype)
    from_newer = np.zeros(size, dtype=bool)
    from_newer[slots] = True
    parts = []
    for name in ("hashes", "qids", "positions"):
        column = np.empty(size, dtype=getattr(older, name).dtype)
        column[from_newer] = getattr(newer, name)
        column[~from_newer] = getattr(older, name)
        parts.append(column)
    return Segment(parts[0], parts[1], parts[2])


class Postings:
    """All segments for one gram size."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []

    def __len__(self) -> int:
        return sum(len(s) for s in self.segments)

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self.segments)

    def append(self, segment: Segment, alive: npt.NDArray[np.bool_]) -> None:
        """Add a segment, then merge the tail while neighbours are of similar size."""
        if len(segment):
            self.segments.append(segment)
        while len(self.segments) >= 2 and len(self.segments[-2]) < MERGE_RATIO * len(
            self.segments[-1]
        ):
            newer = self.segments.pop()
            self.segments[-1] = merge(self.segments[-1], newer, alive)

    def lookup(
        self, hashes: HashArray, alive: npt.NDArray[np.bool_]
    ) -> tuple[IdArray, IdArray, IdArray]:
        """(index into ``hashes``, qid, quote position) of every live matching posting."""
        found: list[tuple[IdArray, IdArray, IdArray]] = []
        # Sorted queries make searchsorted walk the segment in order: several times faster.
        order = np.argsort(hashes)
        queries = hashes[order]
        for segment in self.segments:
            lo = np.searchsorted(segment.hashes, queries, side="left")
            inside = lo < len(segment)
            hit = np.zeros(len(queries), dtype=bool)
            hit[inside] = segment.hashes[lo[inside]] == queries[inside]
            if not hit.any():
                continue
            lo = lo[hit]
            counts = np.searchsorted(segment.hashes, queries[hit], side="right") - lo
            total = int(counts.sum())
            page_pos = np.repeat(order[hit].astype(np.int64), counts)
            first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
            entries = first + np.arange(total, dtype=np.int64)
            qids = segment.qids[entries].astype(np.int64)
            keep = alive[qids]
            positions = segment.positions[entries].astype(np.int64)
            found.append((page_pos[keep], qids[keep], positions[keep]))
        if not found:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, empty
        return (
            np.concatenate([f[0] for f in found]),
            np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]),
        )
