"""Fixtures of our own words in the shapes of the real sources (never copies of them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).with_name("fixtures")
ROWS_WIKITEXT = (FIXTURES / "rows.wiki").read_text(encoding="utf-8")


def rows() -> list[str]:
    """Each table row's wikitext, as the parser's ``alltext`` holds it."""
    return ["|-" + chunk.rstrip("\n") for chunk in ROWS_WIKITEXT.split("|-")[1:]]


def rsp_jsonl(keep: int | None = None) -> str:
    """The rows as wiki-reliable-sources-parser's JSON Lines (the fields we read)."""
    lines = []
    for row in rows()[:keep]:
        entry_id = row.split('id="', 1)[1].split('"', 1)[0]
        lines.append(json.dumps({"alltext": row, "id": entry_id, "name": entry_id}))
    return "\n".join(lines) + "\n"


def rsp_page() -> str:
    """The rows inside the page's table, as ``action=raw`` returns the wikitext."""
    return (
        "{{Shortcut|WP:RSP}}\nSome introduction the importer ignores.\n\n"
        '{| class="wikitable sortable perennial-sources"\n|-\n! Source !! Status !! '
        "Discussions !! Last !! Summary !! Uses\n" + ROWS_WIKITEXT + "|}\n"
    )


CLAIMS = [
    (
        "The new harbor bridge was painted with paint that glows at night to guide ships",
        "False",
        1,
    ),
    (
        "Quill Weekly printed that the mayor cancelled every school holiday for next year",
        "Mostly false",
        2,
    ),
    ("The lighthouse keeper's cat has been elected honorary harbor master twice", "True", 5),
]


def feed(claims: list[tuple[str, str, int]] = CLAIMS) -> dict[str, Any]:
    """A schema.org DataFeed of ClaimReview items, shaped like the Data Commons feed."""
    elements = []
    for number, (claim, label, value) in enumerate(claims):
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://factcheck.example.org/checks/{number}",
            "claimReviewed": claim,
            "author": {"@type": "Organization", "name": "Harbor Fact Desk"},
            "datePublished": f"2025-05-0{number + 1}",
            "inLanguage": "en",
            "sdLicense": "https://creativecommons.org/licenses/by-nd/4.0/",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": label,
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "A harbor pundit"},
                "datePublished": "2025-04-30",
                "appearance": [{"@type": "CreativeWork", "url": "https://pundit.example.org/p"}],
            },
        }
        elements.append({"@type": "DataFeedItem", "dateCreated": "2025-05-10", "item": [review]})
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "Fact checks",
        "dataFeedElement": elements,
    }


RATINGS_CSV = "domain,pc1\nharborledger.com,0.91\nquietcoast-news.com,0.12\nnot a domain,0.5\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The fixtures written as files, the way a self-hoster has them."""
    paths = {
        "jsonl": tmp_path / "rsp.jsonl",
        "page": tmp_path / "rsp.wiki",
        "feed": tmp_path / "feed.json",
        "ratings": tmp_path / "ratings.csv",
    }
    paths["jsonl"].write_text(rsp_jsonl(), encoding="utf-8")
    paths["page"].write_text(rsp_page(), encoding="utf-8")
    paths["feed"].write_text(json.dumps(feed()), encoding="utf-8")
    paths["ratings"].write_text(RATINGS_CSV, encoding="utf-8")
    return paths
