"""How short may a quote be? Measures how often an n-word quote matches unrelated pages.

Quotes are random n-word stretches of the first half of the republished-BBC pages; they
are matched against the pages of the second half that share no source article with the
page the quote came from, nor one the BBC republished (``bbc_internal_reuse_pairs.json``):
a match there is a false positive.
Prints, per n, the share of quotes with at least one accepted match on such a page.
Usage: ``python bench/min_words.py [--samples 1500]``. Chose ``MIN_QUOTE_WORDS`` from this.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import SHARED, shared_available  # noqa: E402
from server.matching import Passage, QuoteIndex  # noqa: E402
from server.matching.tokens import tokenize  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1500)
    parser.add_argument("--show", type=int, default=0, help="print this many hits per n (ids)")
    args = parser.parse_args()
    if not shared_available():
        print("min_words: ../shared/external/republished-bbc not found")
        return 2
    pages = [json.loads(line) for line in (SHARED / "pages.jsonl").open(encoding="utf-8")]
    related: dict[str, set[str]] = {}
    pairs = json.loads((SHARED / "bbc_internal_reuse_pairs.json").read_text(encoding="utf-8"))
    for first, second, *_ in pairs:
        related.setdefault(first, {first}).add(second)
        related.setdefault(second, {second}).add(first)
    half = len(pages) // 2
    sources, targets = pages[:half], pages[half:]
    rng = random.Random(7)
    for n in range(3, 11):
        index = QuoteIndex()
        origin: dict[int, set[str]] = {}
        for sample in range(args.samples):
            page = rng.choice(sources)
            text = rng.choice(page["paragraphs"])
            tokens = tokenize(text)
            if len(tokens.words) < n:
                continue
            first = rng.randrange(len(tokens.words) - n + 1)
            index.add(sample, text[tokens.starts[first] : tokens.ends[first + n - 1]])
            origin[sample] = {r for a in page["articles"] for r in related.get(a, {a})}
        hit: set[object] = set()
        shown: list[str] = []
        for page in targets:
            passages = [Passage(str(i), t) for i, t in enumerate(page["paragraphs"])]
            articles = set(page["articles"])
            for match in index.match(passages):
                if not match.partial and not origin[int(str(match.key))] & articles:
                    hit.add(match.key)
                    if len(shown) < args.show:
                        shown.append(f"   {match.score:5.1f} {match.coverage:.2f} {match.key}")
        share = len(hit) / max(1, len(index))
        found = f"{len(hit):4}/{len(index)}"
        print(f"{n:2} words: {found} quotes match an unrelated page ({100 * share:.1f}%)")
        for line in shown:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
