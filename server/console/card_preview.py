"""The card a reader will see, from a note's fields, for the console's preview.

Mirrors the extension's card (``extension/content/card-view.js`` with ``lib/cards.js`` labels):
kind label, rating pill, title, summary, and only the http(s) sources as links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

KIND_LABELS = {"publisher": "Publisher", "claim": "Disputed claim", "sourcing": "Sourcing gap"}
RATING_LABELS = {
    "false": "False",
    "misleading": "Misleading",
    "disputed": "Disputed",
    "unproven": "Unproven",
    "needs-context": "Needs context",
    "accurate": "Accurate",
}


def card(content: dict[str, Any]) -> dict[str, Any]:
    """What the extension would draw for this note (text only; templates escape it)."""
    kind = content.get("kind") or "claim"
    rating = content.get("rating") if kind == "claim" else None
    label = (
        "Checked claim"
        if kind == "claim" and rating == "accurate"
        else KIND_LABELS.get(kind, "Context")
    )
    sources = []
    for source in content.get("sources") or []:
        parts = urlsplit(str(source.get("url", "")))
        if parts.scheme in ("http", "https") and parts.hostname:
            host = parts.hostname.removeprefix("www.")
            sources.append(
                {"title": source.get("title") or host, "url": source["url"], "host": host}
            )
    return {
        "kind": kind if kind in KIND_LABELS else "claim",
        "kind_label": label,
        "rating": rating if rating in RATING_LABELS else None,
        "rating_label": RATING_LABELS.get(str(rating), ""),
        "title": content.get("title") or "",
        "summary": content.get("summary") or "",
        "sources": sources,
    }
