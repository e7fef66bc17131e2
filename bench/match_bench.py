"""Matching benchmark: speed and memory at 1k-1M quotes, and quality on republished pages.

Usage: ``python bench/match_bench.py [--quick] [--json]``. ``--quick`` stops at 100k quotes.
Each database size runs in its own process so that resident memory is its own. Timings
are medians over pages and repetitions; the floor (tokenizing and normalizing the page,
nothing else) is measured interleaved with matching, so ratios hold on a busy machine.
Passage text is never printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import build_corpus, make_page, real_paragraphs, shared_available  # noqa: E402
from bench.quality import evaluate  # noqa: E402
from server.matching import Passage, QuoteIndex, brute_force_match  # noqa: E402
from server.matching.page import read_page  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000, 100_000)
PAGE_WORDS = (1_000, 5_000)
PAGES = 8
REPEATS = 3
PLANTED = 20
BRUTE_MAX = 10_000
SEED = 20261124


def rss_mb() -> float:
    """Resident memory now, from /proc (the peak would count freed temporaries)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values)


def _p95_ms(values: list[float]) -> float:
    return 1000 * sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def run_size(size: int) -> dict[str, Any]:
    """Build an index of ``size`` quotes and time pages against it."""
    corpus = build_corpus(size, SEED)
    gc.collect()
    rss_before = rss_mb()
    started = time.perf_counter()
    index = QuoteIndex()
    index.add_many(enumerate(corpus.quotes))
    index.flush()
    build_s = time.perf_counter() - started
    gc.collect()
    result: dict[str, Any] = {
        "quotes": size,
        "page_source": corpus.source,
        "build_s": round(build_s, 2),
        "rss_mb": round(rss_mb(), 1),
        "rss_index_mb": round(rss_mb() - rss_before, 1),
        "index_bytes_per_quote": round(index.nbytes / size, 1),
    }
    rng = random.Random(SEED + size)
    keys = np.arange(size, dtype=np.int64)
    quotes = dict(enumerate(corpus.quotes)) if size <= BRUTE_MAX else {}
    for words in PAGE_WORDS:
        floors: list[float] = []
        matches: list[float] = []
        found = planted_total = candidates = 0
        brute: list[float] = []
        for page_number in range(PAGES):
            paragraphs, planted = make_page(corpus, words, PLANTED, rng, keys)
            page = [Passage(str(i), text) for i, text in enumerate(paragraphs)]
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                read_page(page)
                t1 = time.perf_counter()
                got = index.match(page)
                t2 = time.perf_counter()
                floors.append(t1 - t0)
                matches.append(t2 - t1)
            accepted = {(m.key, m.spans[0].passage_id) for m in got if not m.partial}
            found += sum((p.key, str(p.paragraph)) in accepted for p in planted)
            planted_total += len(planted)
            candidates += len(got)
            if quotes and page_number < (2 if words == 5_000 else 1):
                t0 = time.perf_counter()
                brute_force_match(quotes, page)
                brute.append(time.perf_counter() - t0)
        row = {
            "median_ms": round(_median_ms(matches), 2),
            "p95_ms": round(_p95_ms(matches), 2),
            "floor_ms": round(_median_ms(floors), 2),
            "ratio_to_floor": round(statistics.median(matches) / statistics.median(floors), 2),
            "planted_recall": round(found / planted_total, 4),
            "matches_per_page": round(candidates / PAGES, 1),
        }
        if brute:
            row["brute_force_ms"] = round(_median_ms(brute), 1)
            # Against the median index time on pages of the same size and database.
            row["speedup_vs_brute_force"] = round(
                statistics.median(brute) / statistics.median(matches), 1
            )
        result[f"page_{words}"] = row
    if shared_available() and size >= 100_000:
        result["bbc_page_5000"] = _adversarial(index, rng)
    return result


def _adversarial(index: QuoteIndex, rng: random.Random) -> dict[str, Any]:
    """Real BBC pages against a database grown from BBC sentences: the worst case."""
    paragraphs = real_paragraphs()
    times: list[float] = []
    matches = 0
    for _ in range(PAGES // 2):
        start = rng.randrange(len(paragraphs) - 200)
        page: list[Passage] = []
        words = 0
        for text in paragraphs[start:]:
            page.append(Passage(str(len(page)), text))
            words += text.count(" ") + 1
            if words >= 5_000:
                break
        t0 = time.perf_counter()
        matches += len(index.match(page))
        times.append(time.perf_counter() - t0)
    return {"median_ms": round(_median_ms(times), 1), "matches_per_page": matches / len(times)}


def _child(size: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", str(size)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(rows: list[dict[str, Any]], quality: dict[str, Any] | None) -> list[str]:
    """Human-readable figures and target verdicts."""
    lines = []
    for row in rows:
        lines.append(
            f"N={row['quotes']:>9,}  build {row['build_s']:6.2f} s  RSS {row['rss_mb']:7.1f} MB "
            f"(index {row['rss_index_mb']:.1f} MB)  arrays {row['index_bytes_per_quote']} B/quote"
        )
        for words in PAGE_WORDS:
            r = row[f"page_{words}"]
            text = (
                f"   {words:>5}-word page: median {r['median_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f}"
                f" ms  floor {r['floor_ms']:5.2f} ms  ratio {r['ratio_to_floor']:5.2f}x  "
                f"recall {100 * r['planted_recall']:.1f}%  matches/page {r['matches_per_page']}"
            )
            if "brute_force_ms" in r:
                text += (
                    f"  brute force {r['brute_force_ms']:.0f} ms "
                    f"({r['speedup_vs_brute_force']:.0f}x slower)"
                )
            lines.append(text)
        if "bbc_page_5000" in row:
            adv = row["bbc_page_5000"]
            lines.append(
                f"   adversarial BBC 5000-word page: median {adv['median_ms']} ms, "
                f"{adv['matches_per_page']} matches (no target)"
            )
    lines.append("")
    lines.append(f"page text: {rows[0]['page_source']}" if rows else "no sizes run")
    lines += _targets(rows, quality)
    return lines


def _targets(rows: list[dict[str, Any]], quality: dict[str, Any] | None) -> list[str]:
    by_size = {row["quotes"]: row for row in rows}
    out = ["", "Targets:"]
    if quality is not None:
        out.append(
            f"  {_verdict(quality['found'] >= 0.98)} found {100 * quality['found']:.1f}% >= 98%"
        )
        out.append(
            f"  {_verdict(quality['exact'] >= 0.95)} exact {100 * quality['exact']:.1f}% >= 95%"
        )
        partial = quality["partial"]
        out.append(f"  {_verdict(partial >= 0.85)} partial {100 * partial:.1f}% >= 85%")
        out.append(
            f"  {_verdict(quality['negatives_matched'] == 0)} negatives matched "
            f"{quality['negatives_matched']} == 0"
        )
    if 100_000 in by_size:
        ratio = by_size[100_000]["page_5000"]["ratio_to_floor"]
        out.append(f"  {_verdict(ratio <= 3)} 5,000-word page vs 100k quotes {ratio}x floor <= 3x")
    if 10_000 in by_size:
        speedup = by_size[10_000]["page_5000"].get("speedup_vs_brute_force", 0)
        out.append(
            f"  {_verdict(speedup >= 1000)} {speedup:.0f}x faster than brute force at 10k >= 1000x"
        )
    recall = min(r[f"page_{w}"]["planted_recall"] for r in rows for w in PAGE_WORDS) if rows else 0
    out.append(f"  {_verdict(recall == 1.0)} planted recall {100 * recall:.1f}% == 100%")
    if 1_000_000 in by_size:
        big = by_size[1_000_000]
        median = big["page_5000"]["median_ms"]
        out.append(
            f"  {_verdict(median <= 100)} 1M: median {median} ms per 5,000-word page <= 100 ms"
        )
        out.append(f"  {_verdict(big['rss_mb'] <= 1536)} 1M: RSS {big['rss_mb']} MB <= 1.5 GB")
        out.append(f"  {_verdict(big['build_s'] <= 30)} 1M: build {big['build_s']} s <= 30 s")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 100k quotes")
    parser.add_argument("--json", action="store_true", help="one JSON object per configuration")
    parser.add_argument("--sizes", type=int, nargs="+", help="database sizes to run instead")
    parser.add_argument("--no-quality", action="store_true", help="skip the republished set")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one)))
        return 0
    rows = []
    for size in args.sizes or (QUICK_SIZES if args.quick else SIZES):
        row = _child(size)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"... {size:,} quotes done", file=sys.stderr, flush=True)
    quality = evaluate() if shared_available() and not args.no_quality else None
    if args.json:
        print(json.dumps({"quality": quality}))
    else:
        if quality is None:
            print("quality: skipped (--no-quality, or ../shared/external/republished-bbc absent)")
        else:
            print(
                "quality on republished-bbc ({pages} pages, {quotes} quotes loaded): "
                "found {found:.3f}, exact {exact:.3f}, partial {partial:.3f}, negatives matched "
                "{negatives_matched}/{negatives}, median {median_ms} ms/page".format(**quality)
            )
        print("\n".join(report(rows, quality)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
