"""The work budget's pace: how much a match yields to other requests as it goes."""

from __future__ import annotations

import time

import pytest

from server.matching.budget import HEAVY, ORDINARY, Budget, Pace


def _wall_for(cpu_seconds: float, pace: Pace) -> float:
    """Wall seconds a busy loop that asks the budget takes to spend ``cpu_seconds`` of CPU."""
    budget = Budget(10.0, pace=pace)
    started, spent_from = time.perf_counter(), time.thread_time()
    while time.thread_time() - spent_from < cpu_seconds:
        sum(range(200))
        budget.spent()
    return time.perf_counter() - started


@pytest.mark.parametrize(
    ("pace", "least_ratio"), [(ORDINARY, 1.6), (HEAVY, 2.6)], ids=["ordinary", "heavy"]
)
def test_a_match_past_its_full_speed_sleeps_to_let_others_run(
    pace: Pace, least_ratio: float
) -> None:
    cpu = 0.3

    wall = _wall_for(cpu, pace)

    assert wall >= least_ratio * (cpu - pace.full_speed)


def test_a_heavy_match_yields_in_slices_shorter_than_the_switch_interval() -> None:
    assert HEAVY.full_speed == 0
    assert HEAVY.slice < 0.005 <= HEAVY.pause
