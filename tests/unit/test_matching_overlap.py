"""``pick_disjoint``: best first, no overlap within a lane, a cap, and the same answer as the
pairwise comparison it replaces."""

from __future__ import annotations

import random
import time

import pytest

from server.matching.overlap import pick_disjoint

Item = tuple[str, int, int]


def _pairwise(ranked: list[Item]) -> list[Item]:
    kept: list[Item] = []
    for lane, start, end in ranked:
        if not any(p == lane and s < end and start < e for p, s, e in kept):
            kept.append((lane, start, end))
    return kept


@pytest.mark.parametrize(
    ("ranked", "kept"),
    [
        ([("a", 0, 10), ("a", 5, 15), ("a", 10, 20)], [("a", 0, 10), ("a", 10, 20)]),
        ([("a", 5, 15), ("a", 0, 10), ("a", 10, 20)], [("a", 5, 15)]),
        ([("a", 0, 10), ("b", 0, 10)], [("a", 0, 10), ("b", 0, 10)]),
        ([("a", 0, 100), ("a", 10, 20), ("a", 100, 101)], [("a", 0, 100), ("a", 100, 101)]),
    ],
)
def test_overlapping_items_lose_to_better_ones(ranked: list[Item], kept: list[Item]) -> None:
    assert pick_disjoint(ranked, lambda item: item) == (kept, False)


def test_the_cap_stops_the_scan_and_says_so() -> None:
    ranked = [("a", 10 * i, 10 * i + 5) for i in range(100)]

    kept, capped = pick_disjoint(ranked, lambda item: item, limit=3)

    assert kept == ranked[:3]
    assert capped is True


def test_a_cap_that_is_not_reached_is_not_reported() -> None:
    ranked = [("a", 0, 5), ("a", 1, 6)]

    assert pick_disjoint(ranked, lambda item: item, limit=1) == ([("a", 0, 5)], False)


def test_random_spans_give_the_pairwise_answer() -> None:
    generator = random.Random(14)
    for _ in range(200):
        ranked = []
        for _ in range(generator.randrange(1, 40)):
            start = generator.randrange(0, 60)
            ranked.append((generator.choice("ab"), start, start + generator.randrange(1, 12)))

        assert pick_disjoint(ranked, lambda item: item)[0] == _pairwise(ranked)


def test_a_hundred_thousand_repeats_take_well_under_a_second() -> None:
    ranked = [("a", 3 * i, 3 * i + 2) for i in range(100_000)] * 2
    started = time.thread_time()

    kept, _ = pick_disjoint(ranked, lambda item: item)

    assert time.thread_time() - started < 1.0  # pairwise, this is 10^10 comparisons
    assert len(kept) == 100_000
