"""Heavy-match slots: classed by body size alone, one per worker, a few per server."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.matching import Passage
from server.services.heavy_lane import HeavyLane, quote_tier_only, within_reach

THRESHOLD = 1000


@pytest.mark.parametrize(
    ("content_length", "heavy"),
    [(0, False), (THRESHOLD - 1, False), (THRESHOLD, True), (2_000_000, True), (None, True)],
)
def test_a_body_is_heavy_from_its_length_alone(content_length: int | None, heavy: bool) -> None:
    lane = HeavyLane(THRESHOLD, slots=1, directory=None)

    assert lane.is_heavy(content_length) is heavy


def test_ordinary_bodies_never_wait_for_a_slot() -> None:
    lane = HeavyLane(THRESHOLD, slots=1, directory=None)

    with lane.admit(THRESHOLD) as heavy, lane.admit(10) as light, lane.admit(10) as other:
        assert [a.heavy if a else None for a in (heavy, light, other)] == [True, False, False]


def test_a_worker_runs_one_heavy_match_at_a_time_even_with_spare_server_slots() -> None:
    lane = HeavyLane(THRESHOLD, slots=4, directory=None)

    with lane.admit(THRESHOLD) as first, lane.admit(THRESHOLD) as second:
        assert first is not None
        assert second is None
    with lane.admit(THRESHOLD) as after:
        assert after is not None


def test_workers_share_the_servers_slots_through_the_directory(tmp_path: Path) -> None:
    one, other = (HeavyLane(THRESHOLD, slots=1, directory=tmp_path) for _ in range(2))

    with one.admit(THRESHOLD) as held, other.admit(THRESHOLD) as refused:
        assert held is not None
        assert refused is None
    with other.admit(THRESHOLD) as freed:
        assert freed is not None


def test_a_slot_held_by_a_worker_that_dies_is_free_again(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from server.services.heavy_lane import HeavyLane\n"
            f"lane = HeavyLane({THRESHOLD}, 1, Path(sys.argv[1]))\n"
            f"with lane.admit({THRESHOLD}) as held:\n"
            "    print('held' if held else 'refused', flush=True)\n"
            "    time.sleep(60)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    lane = HeavyLane(THRESHOLD, slots=1, directory=tmp_path)
    with lane.admit(THRESHOLD) as while_alive:
        assert while_alive is None

    holder.kill()
    holder.wait(timeout=10)
    holder.stdout.close()
    time.sleep(0.05)

    with lane.admit(THRESHOLD) as after_death:
        assert after_death is not None


@pytest.mark.parametrize(
    ("texts", "chars", "kept", "left_out"),
    [
        (["abc", "def"], 6, ["abc", "def"], False),
        (["abc", "def"], 10, ["abc", "def"], False),
        (["abc", "def"], 4, ["abc", "d"], True),
        (["abc", "def"], 3, ["abc"], True),
        (["abc", "def"], 0, [], True),
        ([], 5, [], False),
    ],
)
def test_a_heavy_page_is_read_up_to_its_reach(
    texts: list[str], chars: int, kept: list[str], left_out: bool
) -> None:
    passages = [Passage(f"p{n}", text) for n, text in enumerate(texts)]

    within, cut = within_reach(passages, chars)

    assert [p.text for p in within] == kept
    assert [p.id for p in within] == [f"p{n}" for n in range(len(kept))]
    assert cut is left_out


@pytest.mark.parametrize(
    ("tiers", "kept", "skipped"),
    [
        (["quote", "reworded"], ["quote"], True),
        (["reworded"], [], True),
        (["quote"], ["quote"], False),
    ],
)
def test_a_heavy_page_is_matched_by_its_quotes_only(
    tiers: list[str], kept: list[str], skipped: bool
) -> None:
    assert quote_tier_only(tiers) == (kept, skipped)
