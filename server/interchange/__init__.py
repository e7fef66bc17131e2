"""Exchanging notes with other systems: our bundle, schema.org ClaimReview, W3C Web Annotation.

Each format module turns documents into plain note dicts (validated later, per item, by the
API's own models) and notes back into documents.
"""

from __future__ import annotations

from typing import Any, Literal

Format = Literal["bundle", "claimreview", "webannotation"]


def detect(document: Any) -> Format | None:
    """Which format a JSON document is in, by its shape."""
    items = document if isinstance(document, list) else [document]
    if isinstance(document, dict) and "notes" in document:
        return "bundle"
    if isinstance(document, dict) and "@graph" in document:
        items = document["@graph"]
    if isinstance(document, dict) and document.get("type") in (
        "AnnotationCollection",
        "AnnotationPage",
    ):
        return "webannotation"
    first = next((i for i in items if isinstance(i, dict)), None)
    if first is None:
        return None
    kind = first.get("@type") or first.get("type")
    if kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind):
        return "claimreview"
    if kind == "Annotation" or (isinstance(kind, list) and "Annotation" in kind):
        return "webannotation"
    if "kind" in first and "summary" in first:
        return "bundle"
    return None
