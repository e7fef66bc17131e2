"""W3C Web Annotation (JSON-LD) to and from claim and sourcing notes.

Import: each ``TextQuoteSelector.exact`` of the targets becomes a quote, the describing (or
first) textual body the summary, a classifying body naming one of our ratings the rating,
linked bodies the sources. ``motivation: questioning`` makes a sourcing note, anything else a
claim. Export writes the same shape back, with the note id in ``id`` (``urn:gloss:note:…``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, get_args

from server.interchange.common import as_list, shorten, stable_id, summary_text, text_of, url_of
from server.schemas import Rating

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ID_PREFIX = "urn:gloss:note:"
RATINGS = set(get_args(Rating))


def items(document: Any) -> list[Any]:
    if isinstance(document, dict) and document.get("type") == "AnnotationCollection":
        document = document.get("first", {})
    if isinstance(document, dict) and document.get("type") == "AnnotationPage":
        return as_list(document.get("items"))
    return as_list(document)


def _selectors(target: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(target, dict):
        return
    for selector in as_list(target.get("selector")):
        while isinstance(selector, dict):
            yield selector
            selector = selector.get("refinedBy")


def to_note(item: Any) -> dict[str, Any]:
    """A note dict from one Annotation (validated by the caller)."""
    if not isinstance(item, dict):
        return {"_error": "each Annotation must be a JSON object"}
    quotes = [
        s["exact"]
        for target in as_list(item.get("target"))
        for s in _selectors(target)
        if s.get("type") == "TextQuoteSelector" and isinstance(s.get("exact"), str)
    ]
    bodies = as_list(item.get("body"))
    if isinstance(item.get("bodyValue"), str):
        bodies.append({"type": "TextualBody", "value": item["bodyValue"]})
    texts = [
        (b.get("purpose"), text_of(b))
        for b in bodies
        if isinstance(b, dict) and b.get("type", "TextualBody") == "TextualBody"
    ]
    texts += [(None, b.strip()) for b in bodies if isinstance(b, str) and not url_of(b)]
    described = [t for p, t in texts if t and p in ("describing", "commenting", None)]
    tags = [t for p, t in texts if t and p == "tagging"]
    ratings = [t for p, t in texts if t in RATINGS and p in ("classifying", "assessing")]
    sources = []
    for body in bodies:
        if isinstance(body, dict) and body.get("type") != "TextualBody":
            url = url_of(body.get("source")) or url_of(body)
            if url:
                sources.append({"title": text_of(body.get("name")) or url, "url": url})
        elif isinstance(body, str) and url_of(body):
            sources.append({"title": body, "url": body})
    raw_id = item.get("id") if isinstance(item.get("id"), str) else None
    if raw_id and raw_id.startswith(ID_PREFIX):
        note_id = raw_id.removeprefix(ID_PREFIX)
    else:
        note_id = stable_id("annotation", raw_id, *quotes)
    kind = "sourcing" if "questioning" in as_list(item.get("motivation")) else "claim"
    summary = summary_text(described[0]) if described else ""
    return {
        "id": note_id,
        "kind": kind,
        "title": shorten(tags[0] if tags else (quotes[0] if quotes else summary), 200),
        "summary": summary,
        "rating": (ratings[0] if ratings else "needs-context") if kind == "claim" else None,
        "quotes": quotes,
        "sources": sources,
        "status": "published",
    }


def export(notes: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Published claim and sourcing notes as an AnnotationPage."""
    yield json.dumps({"@context": CONTEXT, "type": "AnnotationPage"})[:-1] + ', "items": ['
    first = True
    for note in notes:
        if note["kind"] == "publisher":
            continue
        body: list[dict[str, Any]] = [
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": note["summary"],
                "format": "text/plain",
            },
            {"type": "TextualBody", "purpose": "tagging", "value": note["title"]},
        ]
        if note["rating"]:
            body.append({"type": "TextualBody", "purpose": "classifying", "value": note["rating"]})
        body += [
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": s["url"],
                "name": s["title"],
            }
            for s in note["sources"]
        ]
        annotation = {
            "id": ID_PREFIX + note["id"],
            "type": "Annotation",
            "motivation": "questioning" if note["kind"] == "sourcing" else "assessing",
            "created": note["created_at"],
            "modified": note["updated_at"],
            "body": body,
            "target": [
                {"selector": {"type": "TextQuoteSelector", "exact": q}} for q in note["quotes"]
            ],
        }
        yield ("" if first else ",") + "\n" + json.dumps(annotation, ensure_ascii=False)
        first = False
    yield "\n]}\n"
