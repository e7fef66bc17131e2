"""Hostile match bodies built from the shipped notes, shared by tests and ``bench/hostile.py``.

Each repeats something the notes match (a publisher's alias, a quote, a quote with one word
changed, which forces a real alignment at every copy) until the body is as large as the server
accepts; ``unique_words_body`` is a page of words nobody has sent before.
"""

from __future__ import annotations

import json
import uuid

MAX_BODY = 2 * 1024 * 1024
QUOTE = "The head of Tajikistan's Special Assignment Police Unit promised to wage a violent jihad."
EDITED = QUOTE.replace("promised", "vowed")
UNITS = {
    "alias": "Global Research said. ",
    "quote": QUOTE + " ",
    "edited-quote": EDITED + " ",
}


def hostile_body(unit: str, size: int = MAX_BODY, url: str = "https://example.org/a") -> bytes:
    """A match body of at most ``size`` bytes: passages of 19,950 characters repeating ``unit``."""
    text = (unit * (19_950 // len(unit) + 1))[:19_950]
    passages = [{"id": f"p{i}", "text": text} for i in range(size // 20_000 + 1)]
    body = b""
    while not body or len(body) > size:
        body = json.dumps({"url": url, "passages": passages}).encode()
        passages.pop()
    return body


def unique_words_body(words: int = 50, length: int = 19_000) -> bytes:
    """A page of ``words`` passages, each one never-seen word of ``length`` characters."""
    passages = []
    for i in range(words):
        seed = uuid.uuid4().hex
        passages.append({"id": f"p{i}", "text": (seed * (length // 32 + 1))[:length]})
    return json.dumps({"url": "https://example.org/u", "passages": passages}).encode()
