"""schema.org ClaimReview (the fact-checkers' format) to and from claim notes.

Import maps ``claimReviewed`` to the note's quote (what is matched on pages),
``reviewRating.alternateName`` (or the numeric rating) to our rating, ``url`` and ``author``
to the source, ``itemReviewed.appearance``/``firstAppearance`` and dates to the body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from server.interchange.common import (
    as_list,
    shorten,
    slug_or_none,
    stable_id,
    summary_text,
    text_of,
    url_of,
)

# Verdict words fact-checkers use, folded to our ratings. Checked in order: first hit wins.
VERDICTS: list[tuple[str, tuple[str, ...]]] = [
    (
        "needs-context",
        ("missing context", "needs context", "lacks context", "out of context", "cherry"),
    ),
    (
        "misleading",
        (
            "misleading",
            "half",
            "mostly false",
            "distort",
            "exaggerat",
            "partly",
            "mixed",
            "mixture",
            "spin",
        ),
    ),
    (
        "unproven",
        ("unproven", "unverified", "unsupported", "no evidence", "unsubstantiated", "not proven"),
    ),
    (
        "false",
        (
            "false",
            "pants on fire",
            "incorrect",
            "fake",
            "wrong",
            "baseless",
            "hoax",
            "fabricated",
            "not true",
            "untrue",
            "debunk",
            "scam",
        ),
    ),
    ("accurate", ("true", "correct", "accurate", "confirmed", "verified")),
    ("disputed", ("disputed", "contested", "controvers")),
]
RATING_LABELS = {
    "false": ("False", 1),
    "misleading": ("Misleading", 2),
    "disputed": ("Disputed", 3),
    "unproven": ("Unproven", 3),
    "needs-context": ("Needs context", 3),
    "accurate": ("Accurate", 5),
}


def items(document: Any) -> list[Any]:
    if isinstance(document, dict) and "@graph" in document:
        return [i for i in as_list(document["@graph"]) if _is_claim_review(i)]
    return as_list(document)


def _is_claim_review(item: Any) -> bool:
    return isinstance(item, dict) and "ClaimReview" in as_list(item.get("@type"))


def rating_from(review_rating: Any) -> str | None:
    """Our rating for a schema.org Rating: by its words, else by its place on the scale."""
    if not isinstance(review_rating, dict):
        return None
    label = (text_of(review_rating.get("alternateName")) or "").lower()
    for rating, words in VERDICTS:
        if any(word in label for word in words):
            return rating
    try:
        value = float(review_rating["ratingValue"])
        best = float(review_rating.get("bestRating", 5))
        worst = float(review_rating.get("worstRating", 1))
        share = (value - worst) / (best - worst)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return "disputed" if label else None
    return (
        "false"
        if share <= 0.2
        else "misleading"
        if share <= 0.45
        else ("disputed" if share < 0.8 else "accurate")
    )


def to_note(item: Any) -> dict[str, Any]:
    """A claim-note dict from one ClaimReview (validated by the caller)."""
    if not isinstance(item, dict):
        return {"_error": "each ClaimReview must be a JSON object"}
    claim = text_of(item.get("claimReviewed")) or ""
    rating_obj = item.get("reviewRating")
    verdict = text_of(rating_obj.get("alternateName")) if isinstance(rating_obj, dict) else None
    authors = [text_of(a) for a in as_list(item.get("author"))]
    author = ", ".join(a for a in authors if a) or "A fact-checker"
    url = url_of(item.get("url")) or url_of(item)
    reviewed_raw = item.get("itemReviewed")
    reviewed: dict[str, Any] = reviewed_raw if isinstance(reviewed_raw, dict) else {}
    appearances = [u for u in map(url_of, as_list(reviewed.get("appearance"))) if u]
    first = url_of(reviewed.get("firstAppearance"))
    published = text_of(item.get("datePublished"))
    body_lines = [f"Claim reviewed: {claim}"]
    if first:
        body_lines.append(f"First appeared: {first}")
    body_lines += [f"Appeared: {u}" for u in appearances]
    if published:
        body_lines.append(f"Review published: {published}")
    note_id = slug_or_none(item.get("identifier")) or stable_id("claimreview", url, claim)
    return {
        "id": note_id,
        "kind": "claim",
        "title": shorten(claim, 200),
        "summary": summary_text(
            f"{author} rated this claim “{verdict}”" if verdict else f"Reviewed by {author}",
            f"({published})." if published else ".",
            text_of(item.get("reviewBody")) or text_of(item.get("description")),
        ),
        "body": "\n".join(body_lines),
        "rating": rating_from(rating_obj),
        "quotes": [claim] if claim else [],
        "sources": [{"title": shorten(f"{author}: fact check", 300), "url": url}] if url else [],
        "status": "published",
    }


def export(notes: Iterable[dict[str, Any]], publisher: str) -> Iterator[str]:
    """Published claim notes as a JSON list of ClaimReview objects."""
    yield "["
    first = True
    for note in notes:
        if note["kind"] != "claim" or not note["quotes"]:
            continue
        label, value = RATING_LABELS[note["rating"]]
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": note["id"],
            "url": note["sources"][0]["url"],
            "claimReviewed": note["quotes"][0],
            "datePublished": note["updated_at"][:10],
            "author": {"@type": "Organization", "name": publisher},
            "reviewBody": note["summary"],
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": label,
            },
            "itemReviewed": {"@type": "Claim"},
        }
        yield ("" if first else ",") + "\n" + json.dumps(review, ensure_ascii=False)
        first = False
    yield "\n]\n"
