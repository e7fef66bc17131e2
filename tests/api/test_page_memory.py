"""A reader's words leave the worker with the response: nothing reachable in the process holds
them afterwards, and the caches that outlive requests count their bytes.

The check does not trust the code: it walks every object the garbage collector can reach
(containers it tracks, and everything they refer to, tracked or not: dicts of strings,
caches inside C objects) and looks for the reader's unique word in every string and bytes.
"""

from __future__ import annotations

import gc
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient

from server.matching.wordcache import NOTE_WORDS, ByteBoundedCache

PREFIX = "Zqxmarker"


@pytest.fixture
def db_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'gloss.db'}"


def _send_page_with_unique_words(client: FlaskClient) -> tuple[str, ...]:
    """Match a page holding never-seen words; return only the pieces the words are made of."""
    tails = (uuid.uuid4().hex, uuid.uuid4().hex)
    words = [f"{PREFIX}{tails[0]}", f"Ünïqué{PREFIX}{tails[1]}"]  # an ASCII and a folded word
    text = f"Global Research wrote {words[0]} and {words[1]}1 today, (see {words[0]})."
    page = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": text}]}
    response = client.post("/v1/match", json=page)
    assert response.status_code == 200
    assert response.get_json()["cards"]
    return tails


def _holders_of(needles: list[str]) -> list[str]:
    """Every reachable string or bytes that contains one of ``needles`` (case-folded too)."""
    variants = {v for n in needles for v in (n, n.lower(), n.casefold())}
    encoded = {v.encode() for v in variants}
    mine = {id(needles), id(variants), id(encoded)} | {id(v) for v in (*variants, *encoded)}
    mine |= {id(n) for n in needles}
    gc.collect()
    seen: set[int] = set(mine)
    found: list[str] = []
    stack: list[Any] = gc.get_objects()
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            if any(v in obj for v in variants):
                found.append(obj[:80])
            continue
        if isinstance(obj, bytes | bytearray):
            if any(v in obj for v in encoded):
                found.append(repr(bytes(obj[:80])))
            continue
        stack.extend(gc.get_referents(obj))
    return found


def test_a_readers_unique_words_are_nowhere_in_memory_after_the_response(
    client: FlaskClient,
) -> None:
    tails = _send_page_with_unique_words(client)

    holders = _holders_of([PREFIX + tails[0], PREFIX + tails[1]])

    assert holders == []


def test_the_scan_finds_a_word_that_is_still_held(client: FlaskClient) -> None:
    tails = _send_page_with_unique_words(client)
    kept = [f"a {PREFIX}{tails[0]} kept"]

    holders = _holders_of([PREFIX + tails[0]])

    assert holders == kept


def test_the_note_word_cache_forgets_its_oldest_words_past_its_byte_bound() -> None:
    cache = ByteBoundedCache(max_bytes=20_000)

    for number in range(1_000):
        cache.put(f"word{number}", (f"word{number}", number))

    assert cache.nbytes <= 20_000
    assert 0 < len(cache) < 1_000
    assert cache.get("word999") is not None
    assert cache.get("word0") is None


def test_matching_a_page_adds_nothing_to_the_note_word_cache(client: FlaskClient) -> None:
    client.post("/v1/match", json={"url": "https://example.org/", "passages": []})
    before = NOTE_WORDS.nbytes

    _send_page_with_unique_words(client)

    assert NOTE_WORDS.nbytes == before
