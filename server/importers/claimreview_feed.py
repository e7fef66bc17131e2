"""A schema.org ``DataFeed`` of ClaimReview items (the Data Commons feed), streamed.

ijson reads ``dataFeedElement[].item`` one at a time, so a 200 MB feed never sits in memory.
Each ClaimReview becomes one claim note through the same mapping as ``POST /v1/import``
(``server.interchange.claimreview``); the note also keeps the fact-checker's own rating
(``alternateName`` and the numbers), the language, and the item's licence (``sdLicense``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

from server.importers.entries import Entry, NoteEntry, Refused, Unreadable, note_id_for
from server.interchange import claimreview
from server.interchange.common import as_list, text_of, url_of

SOURCE = "claimreview-feed"
FEED_LICENCE = "CC BY 4.0 (the feed); each item under its own sdLicense"


def entries(stream: IO[bytes]) -> Iterator[Entry]:
    try:
        # "dataFeedElement.item" is ijson's name for each element of the array
        for element in ijson.items(stream, "dataFeedElement.item", use_float=True):
            reviews = element.get("item") if isinstance(element, dict) else element
            for review in as_list(reviews):
                yield _entry(review)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise Unreadable(f"the feed is not valid JSON: {exc}") from None


def _entry(review: Any) -> Entry:
    if not isinstance(review, dict):
        return Refused("(item)", "an item is not a JSON object")
    url = url_of(review.get("url"))
    claim = text_of(review.get("claimReviewed")) or ""
    entry_id = f"{url or ''} {claim}".strip() or "(item)"
    if url is None:
        return Refused(entry_id[:200], "no fact-check url")
    note = claimreview.to_note(review)
    note.pop("id", None)
    if note["rating"] is None:
        return Refused(url, "no rating that maps to ours")
    author = note["sources"][0]["title"].removesuffix(": fact check") if note["sources"] else ""
    language = text_of(review.get("inLanguage"))
    if language:
        note["body"] += f"\nLanguage: {language}"
    rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    note["ratings"] = [_original(rating, author, url)] if rating else []
    licence = url_of(review.get("sdLicense")) or text_of(review.get("sdLicense"))
    note["provenance"] = {
        "dataset": SOURCE,
        "entry_id": entry_id[:500],
        "licence": (licence or FEED_LICENCE)[:300],
        "licence_url": url_of(review.get("sdLicense")),
        "attribution": f"Fact check by {author or 'a fact-checker'}"[:500],
        "attribution_url": url,
    }
    return NoteEntry(entry_id, note_id_for("claimfeed", entry_id), note)


def _original(rating: dict[str, Any], author: str, url: str) -> dict[str, Any]:
    """The fact-checker's rating as they gave it."""

    def number(key: str) -> float | None:
        try:
            return float(rating[key])
        except (KeyError, TypeError, ValueError):
            return None

    return {
        "set": (author or "Fact-checker")[:300],
        "value": number("ratingValue"),
        "worst": number("worstRating"),
        "best": number("bestRating"),
        "label": (text_of(rating.get("alternateName")) or "")[:300] or None,
        "url": url,
    }
