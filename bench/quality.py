"""Quality on the republished-BBC set: labelled quotes with gold spans, distractors loaded.

A span counts as found at character IoU >= 0.8 with the gold span (over all passages it
covers) and as exact when equal. Positives must be accepted (not partial); ``partial``
quotes must be reported with ``partial=True``; a negative counts as matched if anything,
accepted or partial, is reported for it.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from bench.corpus import SHARED
from server.matching import Passage, QuoteIndex, QuoteMatch

GoldSpan = tuple[int, int, int]


def _iou(found: list[GoldSpan], gold: list[GoldSpan]) -> float:
    a = {(p, i) for p, s, e in found for i in range(s, e)}
    b = {(p, i) for p, s, e in gold for i in range(s, e)}
    return len(a & b) / max(1, len(a | b))


def _spans(match: QuoteMatch) -> list[GoldSpan]:
    return [(int(s.passage_id), s.start, s.end) for s in match.spans]


def evaluate(failures: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run every page once; return rates. ``failures`` collects misses (ids, no text)."""
    pages = [json.loads(line) for line in (SHARED / "pages.jsonl").open(encoding="utf-8")]
    quotes = [json.loads(line) for line in (SHARED / "quotes.jsonl").open(encoding="utf-8")]
    index = QuoteIndex()
    distractors = (SHARED / "distractor_quotes.txt").read_text(encoding="utf-8").splitlines()
    index.add_many((("distractor", number), text) for number, text in enumerate(distractors))
    index.add_many((quote["quote_id"], quote["text"]) for quote in quotes)
    by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in quotes:
        by_page[quote["page_id"]].append(quote)
    counts: dict[str, int] = defaultdict(int)
    times = []
    for page in pages:
        passages = [Passage(str(i), text) for i, text in enumerate(page["paragraphs"])]
        started = time.perf_counter()
        found = index.match(passages)
        times.append(time.perf_counter() - started)
        by_key: dict[Hashable, list[QuoteMatch]] = defaultdict(list)
        for match in found:
            by_key[match.key].append(match)
        for quote in by_page[page["page_id"]]:
            _score(quote, by_key.get(quote["quote_id"], []), counts, failures)
    return {
        "pages": len(pages),
        "quotes": len(index),
        "found": counts["found"] / counts["positive"],
        "exact": counts["exact"] / counts["positive"],
        "partial": counts["partial_found"] / counts["partial"],
        "negatives_matched": counts["negative_matched"],
        "negatives": counts["negative"],
        "median_ms": round(1000 * statistics.median(times), 1),
    }


def _score(
    quote: dict[str, Any],
    matches: list[QuoteMatch],
    counts: dict[str, int],
    failures: list[dict[str, Any]] | None,
) -> None:
    label = quote["label"]
    counts[label] += 1
    if label == "negative":
        if matches:
            counts["negative_matched"] += 1
            _note(failures, quote, matches)
        return
    gold = [tuple(span) for span in quote["expected"]]
    want_partial = label == "partial"
    best = max(
        ((_iou(_spans(m), gold), m) for m in matches if m.partial == want_partial),
        key=lambda pair: pair[0],
        default=None,
    )
    if best is None or best[0] < 0.8:
        _note(failures, quote, matches)
        return
    if want_partial:
        counts["partial_found"] += 1
        return
    counts["found"] += 1
    counts["exact"] += _spans(best[1]) == gold


def _note(
    failures: list[dict[str, Any]] | None, quote: dict[str, Any], matches: list[QuoteMatch]
) -> None:
    if failures is not None:
        failures.append(
            {
                "quote_id": quote["quote_id"],
                "label": quote["label"],
                "profile": quote["profile"],
                "edits": quote["edits"],
                "got": [(m.score, m.coverage, m.partial, _spans(m)) for m in matches],
                "gold": quote["expected"],
            }
        )
