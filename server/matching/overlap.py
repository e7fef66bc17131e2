"""Choosing non-overlapping stretches best first, in O(n log n) and with a cap.

Both the quote index (one quote's alignments) and the catalog (one note's anchors) keep,
of spans that overlap, the best one. Comparing every pair costs O(n²): a page repeating one
name 64,000 times took minutes. Here the kept spans of each lane (a passage, say) stay
sorted and disjoint, so a candidate only has to be compared with its two neighbours, found
by bisection; and the scan stops once ``limit`` spans are kept.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def pick_disjoint(
    ranked: Iterable[T],
    where: Callable[[T], tuple[Hashable, int, int]],
    limit: int | None = None,
) -> tuple[list[T], bool]:
    """Items of ``ranked`` (best first) whose ``(lane, start, end)`` overlap no better one.

    Returns the kept items in the order they were kept, and whether ``limit`` stopped the
    scan before every item was seen (an item after the cut might have been kept).
    """
    starts: dict[Hashable, list[int]] = {}
    ends: dict[Hashable, list[int]] = {}
    kept: list[T] = []
    for item in ranked:
        lane, start, end = where(item)
        lane_starts = starts.setdefault(lane, [])
        lane_ends = ends.setdefault(lane, [])
        at = bisect_right(lane_starts, start)
        if at and lane_starts[at - 1] < end and start < lane_ends[at - 1]:
            continue
        if at < len(lane_starts) and lane_starts[at] < end and start < lane_ends[at]:
            continue
        if limit is not None and len(kept) >= limit:
            return kept, True
        lane_starts.insert(at, start)
        lane_ends.insert(at, end)
        kept.append(item)
    return kept, False
