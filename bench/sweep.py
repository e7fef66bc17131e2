"""How the acceptance thresholds were chosen: quality on republished-BBC per setting.

For each (score, coverage) pair, runs the quality evaluation with those thresholds and
prints found / exact / partial rates and how many labelled negatives matched. Usage:
``python bench/sweep.py``. The chosen pair is the loosest one with no negative matched.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import shared_available  # noqa: E402
from bench.quality import evaluate  # noqa: E402
from server.matching import align  # noqa: E402

SCORES = (70.0, 75.0, 80.0, 85.0, 90.0, 95.0)
COVERAGES = (0.7, 0.8, 0.9)


def main() -> int:
    if not shared_available():
        print("sweep: ../shared/external/republished-bbc not found")
        return 2
    chosen = (align.SCORE_MIN, align.COVERAGE_MIN)
    print("score coverage   found   exact partial negatives")
    for score in SCORES:
        for coverage in COVERAGES:
            align.SCORE_MIN, align.COVERAGE_MIN = score, coverage
            q = evaluate()
            mark = "  <- chosen" if (score, coverage) == chosen else ""
            print(
                f"{score:5.0f} {coverage:8.1f} {100 * q['found']:6.1f}% {100 * q['exact']:6.1f}% "
                f"{100 * q['partial']:6.1f}% {q['negatives_matched']:5}/{q['negatives']}{mark}"
            )
    align.SCORE_MIN, align.COVERAGE_MIN = chosen
    return 0


if __name__ == "__main__":
    sys.exit(main())
