"""Time and peak memory of loading real data, then matching with all of it loaded.

Usage: ``python bench/import_bench.py [--items 100000] [--database-url URL] [--json]``.

Runs ``gloss import`` as a self-hoster would, each in its own process (peak RSS from the
kernel's rusage for that process): the Wikipedia perennial sources list and the Lin et al.
2023 domain ratings from ``../shared/external/publishers/`` (read in place, never copied),
a generated Data Commons-shaped ClaimReview feed of ``--items`` items, and each import again
(which must report 0 created, 0 updated), on a database holding ``notes/``. Then matches,
with everything loaded: the example article, a page served by another listed outlet, and a
page quoting a claim of the feed.
Prints PASS/FAIL against the targets (feed import peak RSS ≤ 400 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import claimreview_feed  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (a worktree one level deeper finds it one level up)
SHARED = next(
    (
        p / "shared" / "external" / "publishers"
        for p in (REPO.parent, REPO.parent.parent)
        if (p / "shared" / "external" / "publishers").is_dir()
    ),
    REPO.parent / "shared" / "external" / "publishers",
)
RSP = SHARED / "wikipedia_rsp_sources.jsonl"
LIN = SHARED / "lin2023_domain_pc1.csv"
SEED_PAGE = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"
EXAMPLE_URL = (
    "https://www.globalresearch.ca/us-sponsored-isis-terrorists-establish-foothold-in-"
    "afghanistan-extending-into-central-asian-heartland/5480861"
)
RSS_LIMIT_MB = 400


def gloss_import(env: dict[str, str], source: str, path: Path) -> dict[str, Any]:
    """One ``gloss import`` in its own process: seconds, peak RSS and its closing line."""
    command = [sys.executable, "-m", "server.cli", "import", source, str(path)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    line = output.strip().splitlines()[-1] if output.strip() else ""
    if process.returncode != 0:
        raise SystemExit(f"gloss import {source} failed: {line}")
    return {
        "source": source,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # kilobytes on Linux
        "report": line,
    }


def match_pages(database_url: str, items: int) -> list[dict[str, Any]]:
    """Match three pages with everything loaded; the first match also builds the index."""
    from server.matching import Passage
    from server.pages import passages_from
    from server.services.catalog import Catalog
    from server.store import Database

    database = Database(database_url)
    catalog = Catalog(database)
    started = time.perf_counter()
    catalog.refresh()
    build = time.perf_counter() - started
    quoted = next(iter(claimreview_feed.claims(items, claimreview_feed.SEED)))
    pages = [
        ("example article", EXAMPLE_URL, passages_from(SEED_PAGE.read_text(encoding="utf-8"))),
        (
            "foxnews.com page",
            "https://www.foxnews.com/politics/some-story",
            ["A short story about a vote in the state senate, told in a few plain words."],
        ),
        (
            "page quoting a feed claim",
            "https://blog.example.net/post",
            [f"Someone wrote: {quoted}"],
        ),
    ]
    results = [{"page": "index build (all published notes)", "ms": round(build * 1000, 1)}]
    for name, url, texts in pages:
        passages = [Passage(f"p{i}", t) for i, t in enumerate(texts)]
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            cards = catalog.match(url, passages)
            timings.append(time.perf_counter() - started)
        results.append(
            {
                "page": name,
                "ms": round(sorted(timings)[2] * 1000, 1),
                "cards": [f"{c['kind']}: {c['title']}"[:70] for c in cards][:6],
                "card_count": len(cards),
            }
        )
    database.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for path in (RSP, LIN):
        if not path.is_file():
            raise SystemExit(f"{path} is missing: this benchmark reads ../shared/external")
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{scratch}/bench.db"
        env = os.environ | {"GLOSS_DATABASE_URL": url}
        feed = Path(scratch) / "feed.json"
        with feed.open("w", encoding="utf-8") as out:
            claimreview_feed.write(out, args.items, claimreview_feed.SEED)
        subprocess.run(
            [sys.executable, "-m", "server.cli", "load", str(REPO / "notes")],
            env=env, cwd=REPO, check=True, capture_output=True,
        )  # fmt: skip
        runs = [
            gloss_import(env, "wikipedia-rsp", RSP),
            gloss_import(env, "domain-ratings", LIN),
            gloss_import(env, "claimreview-feed", feed),
            gloss_import(env, "wikipedia-rsp", RSP),
            gloss_import(env, "domain-ratings", LIN),
            gloss_import(env, "claimreview-feed", feed),
        ]
        matches = match_pages(url, args.items)
    if args.json:
        print(json.dumps({"imports": runs, "matches": matches}, indent=2))
        return
    print(f"{'source':18} {'file MB':>8} {'seconds':>8} {'peak RSS MB':>12}  report")
    for run in runs:
        print(
            f"{run['source']:18} {run['file_mb']:>8} {run['seconds']:>8} "
            f"{run['peak_rss_mb']:>12}  {run['report']}"
        )
    for result in matches:
        count = f" {result['card_count']} cards" if "card_count" in result else ""
        print(f"match {result['page']}: {result['ms']} ms{count} {result.get('cards', '')}")
    feed_rss = runs[2]["peak_rss_mb"]
    verdict = "PASS" if feed_rss <= RSS_LIMIT_MB else "FAIL"
    print(f"{verdict}: feed import peak RSS {feed_rss} MB (target ≤ {RSS_LIMIT_MB} MB)")
    again = all(" 0 created, 0 updated" in run["report"] for run in runs[3:])
    print(f"{'PASS' if again else 'FAIL'}: re-imports report 0 created, 0 updated")


if __name__ == "__main__":
    main()
