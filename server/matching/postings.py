"""Inverted index from word k-gram hash to (quote id, position in quote).

Postings live in sorted numpy segments searched with ``searchsorted``. New quotes form a
small segment; segments of similar size are merged (a log-structured merge), so adding
quotes one at a time costs O(log n) amortized array work per posting, never a full
rebuild. Removed quotes are filtered out at lookup by an ``alive`` mask and dropped from
the arrays at the next merge or compaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from server.matching.kgrams import HashArray, IdArray

MERGE_RATIO = 4
"""A segment is merged into its predecessor unless the predecessor is this many times bigger."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Postings sorted by hash."""

    hashes: HashArray
    qids: npt.NDArray[np.int32]
    positions: npt.NDArray[np.int16]

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def nbytes(self) -> int:
        return self.hashes.nbytes + self.qids.nbytes + self.positions.nbytes


def make_segment(hashes: HashArray, qids: IdArray, positions: IdArray) -> Segment:
    order = np.argsort(hashes, kind="stable")
    return Segment(hashes[order], qids[order].astype(np.int32), positions[order].astype(np.int16))


def _merge(segments: list[Segment], alive: npt.NDArray[np.bool_]) -> Segment:
    hashes = np.concatenate([s.hashes for s in segments])
    qids = np.concatenate([s.qids for s in segments])
    positions = np.concatenate([s.positions for s in segments])
    keep = alive[qids]
    return make_segment(hashes[keep], qids[keep].astype(np.int64), positions[keep])


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
            tail = self.segments[-2:]
            del self.segments[-2:]
            self.segments.append(_merge(tail, alive))

    def compact(self, alive: npt.NDArray[np.bool_]) -> None:
        """Rewrite everything into one segment without removed quotes."""
        if self.segments:
            self.segments = [_merge(self.segments, alive)]

    def lookup(
        self, hashes: HashArray, alive: npt.NDArray[np.bool_]
    ) -> tuple[IdArray, IdArray, IdArray]:
        """(page position, qid, quote position) of every live posting matching ``hashes``."""
        found: list[tuple[IdArray, IdArray, IdArray]] = []
        for segment in self.segments:
            lo = np.searchsorted(segment.hashes, hashes, side="left")
            hi = np.searchsorted(segment.hashes, hashes, side="right")
            counts = hi - lo
            total = int(counts.sum())
            if not total:
                continue
            page_pos = np.repeat(np.arange(len(hashes), dtype=np.int64), counts)
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
