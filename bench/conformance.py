"""Run the quote-anchoring cases of other projects against the Gloss matching engine.

Cases come from ``../shared/external/anchoring/`` (or ``$GLOSS_EXTERNAL/anchoring/``;
``--shared DIR`` reads ``DIR/external/anchoring/``) (Hypothesis's and approx-string-match's
tests, and dom-anchor-text-quote's), read at run time, never copied. Each case is run by
every engine whose rules it falls under:

* ``search``: the raw character edit-distance search (``approx_search``), for the
  approx-string-match cases, which test exactly that primitive;
* ``anchor``: ``anchor_quote`` / ``rank_anchors`` (one quote, prefix/suffix/position hints);
* ``page``: ``QuoteIndex.match``, the engine the server uses for notes, for quotes that pass
  ``quote_problem`` and need no hints; a span is compared after trimming the expected text
  to word characters, because page matches run from the first to the last word.

A case outside an engine's rules is listed with the reason. Exit status: 0 if every
in-scope case passes, 1 if one fails, 2 if the shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EXTERNAL  # noqa: E402
from server.matching import Passage, QuoteIndex, quote_problem  # noqa: E402
from server.matching.anchor import approx_search, rank_anchors  # noqa: E402

FILES = ("hypothesis_and_approx_string_match.json", "dom_anchor_text_quote.json")
MONOTONE_NOTE = "score must strictly decrease"
_WORD = re.compile(r"[^\W_]")


@dataclass
class Tally:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)


def _expected(case: dict[str, Any]) -> list[tuple[int, ...]] | None:
    if "expected_any_of" in case:
        return [tuple(e) for e in case["expected_any_of"]]
    if case.get("expected") is None:
        return None
    return [tuple(case["expected"])]


def _is_raw_search(case: dict[str, Any]) -> bool:
    return "raw edit-distance search" in case["source"]


def run_search(case: dict[str, Any]) -> tuple[bool | None, str]:
    if not _is_raw_search(case):
        return None, "tests anchoring policy, not the raw search primitive"
    max_errors = case.get("max_errors", len(case["quote"]))
    found = [
        (m.start, m.end, m.errors) for m in approx_search(case["text"], case["quote"], max_errors)
    ]
    expected = _expected(case)
    if expected is None:
        return not found, f"got {found}"
    return bool(found) and all(f in expected for f in found), f"got {found}, want any of {expected}"


def _fixture_error(case: dict[str, Any]) -> str | None:
    """An exact-quote case whose expected offsets do not hold the quote in its own text."""
    expected, text, quote = case.get("expected"), case["text"], case["quote"]
    if expected is None or quote not in text or text[expected[0] : expected[1]] == quote:
        return None
    shown = text[expected[0] : expected[1]]
    return f"fixture error: expected {expected} holds {shown!r}, not the quote {quote!r}"


def run_anchor(case: dict[str, Any]) -> tuple[bool | None, str]:
    if _is_raw_search(case):
        return None, "raw edit-distance search with max errors = pattern length, not anchoring"
    broken = _fixture_error(case)
    if broken is not None:
        return None, f"{broken}; {_context_check(case)}"
    ranked = rank_anchors(
        case["text"], case["quote"], case.get("prefix"), case.get("suffix"), case.get("hint")
    )
    got = (ranked[0].start, ranked[0].end) if ranked else None
    expected = _expected(case)
    if expected is None:
        return got is None, f"got {got}"
    return got is not None and got in [e[:2] for e in expected], f"got {got}, want {expected}"


def _context_check(case: dict[str, Any]) -> str:
    """What anchor_quote does instead, checked against the prefix/suffix literally."""
    text, prefix, suffix = case["text"], case.get("prefix", ""), case.get("suffix", "")
    ranked = rank_anchors(text, case["quote"], prefix or None, suffix or None, case.get("hint"))
    if not ranked:
        return "anchor_quote finds nothing"
    start, end = ranked[0].start, ranked[0].end
    fits = text[:start].endswith(prefix) and text[end:].startswith(suffix)
    verdict = (
        "sits exactly between the given prefix and suffix" if fits else "does NOT fit the context"
    )
    return f"anchor_quote returns [{start}, {end}], which {verdict}"


def _word_trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not _WORD.match(text[start]):
        start += 1
    while end > start and not _WORD.match(text[end - 1]):
        end -= 1
    return start, end


def run_page(case: dict[str, Any]) -> tuple[bool | None, str]:
    if _is_raw_search(case):
        return None, "raw character search semantics (errors counted in characters)"
    hints = [name for name in ("prefix", "suffix", "hint") if name in case]
    if hints:
        return (
            None,
            f"needs {'/'.join(hints)} to choose among occurrences; page matching reports all",
        )
    problem = quote_problem(case["quote"])
    if problem is not None:
        return None, problem
    index = QuoteIndex()
    index.add("q", case["quote"])
    found = [m for m in index.match([Passage("p", case["text"])]) if not m.partial]
    got = [(s.start, s.end) for m in found for s in m.spans]
    expected = _expected(case)
    if expected is None:
        return not got, f"got {got}"
    want = [_word_trimmed(case["text"], e[0], e[1]) for e in expected]
    return len(got) == 1 and got[0] in want, f"got {got}, want {want}"


def check_monotone(cases: list[dict[str, Any]]) -> tuple[bool, str]:
    """Hypothesis: the best score falls as the quote drifts from the text."""
    group = [c for c in cases if MONOTONE_NOTE in c["note"]]
    scores = []
    for case in group:
        ranked = rank_anchors(case["text"], case["quote"])
        scores.append(ranked[0].score if ranked else 0.0)
    ok = bool(group) and all(a > b for a, b in zip(scores, scores[1:], strict=False))
    shown = ", ".join(f"{c['quote']!r}={s:.3f}" for c, s in zip(group, scores, strict=True))
    return ok, shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        help="the shared folder (default: GLOSS_EXTERNAL, else ../shared beside the checkout)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only failures and totals")
    args = parser.parse_args()
    folder = (args.shared / "external" if args.shared else EXTERNAL) / "anchoring"
    if not all((folder / name).is_file() for name in FILES):
        print(f"conformance: {folder} not found; the shared test data sits beside the checkout")
        return 2
    engines = {"search": run_search, "anchor": run_anchor, "page": run_page}
    tallies = {name: Tally() for name in engines}
    all_cases: list[dict[str, Any]] = []
    for name in FILES:
        cases = json.loads((folder / name).read_text(encoding="utf-8"))
        all_cases += cases
        for number, case in enumerate(cases):
            label = (
                f"{name.split('.')[0]}#{number} {case['note'][:60]!r} quote={case['quote'][:40]!r}"
            )
            for engine, run in engines.items():
                ok, detail = run(case)
                tally = tallies[engine]
                if ok is None:
                    tally.out_of_scope.append(f"{label}: {detail}")
                    continue
                (tally.passed if ok else tally.failed).append(f"{label}: {detail}")
                if not ok or not args.quiet:
                    print(f"{'PASS' if ok else 'FAIL'} {engine:6} {label}")
                    if not ok:
                        print(f"     {detail}")
    monotone_ok, shown = check_monotone(all_cases)
    print(f"{'PASS' if monotone_ok else 'FAIL'} anchor scores strictly decrease: {shown}")
    print()
    for engine, tally in tallies.items():
        total = len(tally.passed) + len(tally.failed)
        passed, skipped = len(tally.passed), len(tally.out_of_scope)
        print(f"{engine:6}: {passed}/{total} in-scope cases pass, {skipped} out of scope")
    print()
    print("Out of scope, with the reason:")
    for engine, tally in tallies.items():
        for line in tally.out_of_scope:
            print(f"  {engine:6} {line}")
    failed = sum(len(t.failed) for t in tallies.values()) + (not monotone_ok)
    cases_in_scope = {
        i for i, c in enumerate(all_cases) if any(run(c)[0] is not None for run in engines.values())
    }
    print()
    print(
        f"conformance: {len(cases_in_scope)}/{len(all_cases)} cases in scope of at least one "
        f"engine; {'all in-scope checks pass' if not failed else f'{failed} in-scope checks FAIL'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
