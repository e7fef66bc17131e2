"""Write a schema.org DataFeed of ClaimReview items in the Data Commons shape, of any size.

Usage: ``python bench/claimreview_feed.py OUT.json [--items 100000] [--seed N]``.

Claims are sentences from a fixed vocabulary (seeded, so every run writes the same feed),
each with a fact-checker, a rating, dates, language and licence as the real feed has them.
Written as it goes: the generator holds one item at a time.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

# fmt: off
WORDS = (
    "minister", "council", "report", "police", "market", "company", "court", "plans",
    "government", "election", "border", "army", "village", "hospital", "school", "budget",
    "tax", "oil", "gas", "bank", "prices", "workers", "union", "strike", "river", "bridge",
    "airport", "railway", "farmers", "harvest", "drought", "flood", "storm", "coast", "island",
    "vaccine", "virus", "climate", "wind", "solar", "pension", "wages", "rent", "housing",
)
VERDICTS = (
    ("False", 1), ("Mostly false", 2), ("Half true", 3), ("Missing context", 3),
    ("Mostly true", 4), ("True", 5), ("Pants on fire", 1), ("Unproven", 2),
)
CHECKERS = ("Harbor Fact Desk", "Valley Verify", "Coastline Checks", "Riverside Truth Team")
LANGUAGES = ("en", "en", "en", "es", "fr", "de")
# fmt: on
SEED = 20261203


def claim(rng: random.Random, number: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return f"The {' '.join(words)} number {number}."


def review(rng: random.Random, number: int) -> dict[str, Any]:
    label, value = rng.choice(VERDICTS)
    checker = rng.choice(CHECKERS)
    slug = checker.lower().replace(" ", "-")
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://{slug}.example.org/checks/{number}",
        "claimReviewed": claim(rng, number),
        "author": {"@type": "Organization", "name": checker, "url": f"https://{slug}.example.org"},
        "datePublished": day,
        "inLanguage": rng.choice(LANGUAGES),
        "sdLicense": "https://creativecommons.org/licenses/by/4.0/",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": label,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": f"Speaker {rng.randint(1, 500)}"},
            "datePublished": day,
            "appearance": [{"@type": "CreativeWork", "url": f"https://posts.example.net/{number}"}],
        },
    }


def claims(items: int, seed: int) -> Iterator[str]:
    """The claim sentences of a feed, in order (for pages that quote them)."""
    rng = random.Random(seed)
    for number in range(items):
        yield review(rng, number)["claimReviewed"]


def write(out: IO[str], items: int, seed: int) -> None:
    rng = random.Random(seed)
    out.write('{"@context": "https://schema.org", "@type": "DataFeed", ')
    out.write('"name": "Generated ClaimReview feed", "dateModified": "2026-12-01", ')
    out.write('"dataFeedElement": [')
    for number in range(items):
        element = {
            "@type": "DataFeedItem",
            "dateCreated": "2026-12-01",
            "item": [review(rng, number)],
        }
        out.write(("," if number else "") + "\n" + json.dumps(element, ensure_ascii=False))
    out.write("\n]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        write(out, args.items, args.seed)


if __name__ == "__main__":
    main()
