"""Small helpers shared by the format modules."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from server.schemas import MAX_SUMMARY, SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any) -> str | None:
    """A string from a JSON-LD value that may be a string, ``{"@value"}`` or a named thing."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("@value", "value", "name", "headline"):
            if isinstance(value.get(key), str):
                return str(value[key]).strip() or None
    return None


def url_of(value: Any) -> str | None:
    """An http(s) URL from a string or from an object's ``url``/``id``/``@id``."""
    if isinstance(value, str):
        candidate = value
    elif isinstance(value, dict):
        candidate = next(
            (value[k] for k in ("url", "id", "@id", "source") if isinstance(value.get(k), str)), ""
        )
    else:
        return None
    return candidate if candidate.startswith(("http://", "https://")) else None


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_text(*parts: str | None) -> str:
    return shorten(" ".join(p for p in parts if p), MAX_SUMMARY)


def stable_id(prefix: str, *keys: str | None) -> str:
    """An id that is the same each time the same document is imported."""
    digest = hashlib.sha256("\x1f".join(k or "" for k in keys).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


def slug_or_none(value: Any) -> str | None:
    return (
        value if isinstance(value, str) and _SLUG.match(value) and 3 <= len(value) <= 80 else None
    )
