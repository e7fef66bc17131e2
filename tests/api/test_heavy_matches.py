"""Heavy matches (large bodies) are shed when their slot is taken and get a smaller budget,
while ordinary pages are answered beside them as usual.

A hostile site can make every reader's extension send 2 MB of itself, from as many addresses
as it has readers. Rate limits per address cannot stop that; a slot per server can, decided
from ``Content-Length`` before anything is parsed.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server.matching.budget import HEAVY
from tests.conftest import NOTES_DIR
from tests.reliability.hostile_pages import EDITED, QUOTE, hostile_body

HEAVY_BYTES = 64 * 1024
SMALL = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": QUOTE}]}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: what is measured here is the matching, not the database."""
    return f"sqlite:///{tmp_path / 'gloss.db'}"


@pytest.fixture
def app_config(db_url: str) -> dict[str, Any]:
    return {
        "database_url": db_url,
        "seed_notes_dir": str(NOTES_DIR),
        "heavy_match_bytes": HEAVY_BYTES,
        "heavy_match_budget_ms": 1500,
    }


def post(client: FlaskClient, body: bytes) -> Any:
    return client.post("/v1/match", data=body, content_type="application/json")


def cheap_heavy_body() -> bytes:
    """Heavy by its size, quick to match: plain words the notes do not hold."""
    text = "plain words of an ordinary page " * 600
    passages = [{"id": f"p{n}", "text": text} for n in range(HEAVY_BYTES // len(text) + 1)]
    return json.dumps({"url": "https://example.org/b", "passages": passages}).encode()


def test_a_heavy_body_while_the_slot_is_taken_is_refused_at_once_and_a_small_one_is_not(
    app: Flask,
) -> None:
    client = app.test_client()
    costly = threading.Thread(target=post, args=(app.test_client(), hostile_body(EDITED + " ")))
    costly.start()
    lane = app.extensions["gloss.heavy_lane"]
    taken = time.monotonic() + 10
    while not lane.busy and costly.is_alive() and time.monotonic() < taken:
        time.sleep(0.005)  # the costly match must hold the slot before the cheap ones come
    refused = None
    deadline = time.monotonic() + 3
    while refused is None and time.monotonic() < deadline and costly.is_alive():
        started = time.perf_counter()
        response = post(client, cheap_heavy_body())
        if response.status_code == 503:
            refused, refused_after = response, time.perf_counter() - started

    small = client.post("/v1/match", json=SMALL)
    still_running = costly.is_alive()
    costly.join()

    assert still_running, "the costly match ended before the check: nothing was measured"
    assert refused is not None, "no heavy body was refused while another one ran"
    assert refused_after < 0.5
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"].endswith("/heavy-matches-busy")
    assert int(refused.headers["Retry-After"]) >= 1
    assert small.status_code == 200
    assert [c["note_id"] for c in small.get_json()["cards"]] == ["khalimov-us-trained"]
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "gloss_match_shed_total" in metrics


def test_a_heavy_body_is_matched_once_the_slot_is_free(client: FlaskClient) -> None:
    first = post(client, cheap_heavy_body())

    second = post(client, cheap_heavy_body())

    assert (first.status_code, second.status_code) == (200, 200)


def test_a_heavy_body_gets_the_smaller_budget_at_a_slow_pace(db_url: str) -> None:
    from server import create_app

    app = create_app(
        {
            "database_url": db_url,
            "seed_notes_dir": str(NOTES_DIR),
            "match_budget_ms": 5000,
            "heavy_match_budget_ms": 100,
        }
    )
    try:
        client = app.test_client()
        post(client, hostile_body(EDITED + " ", 30_000))  # warm the index and the caches
        cpu, wall = time.thread_time(), time.perf_counter()
        response = post(client, hostile_body(EDITED + " "))
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    finally:
        app.extensions["gloss.database"].dispose()

    assert response.status_code == 200
    assert response.get_json()["partial"] is True
    assert cpu < 1.0, f"{cpu:.2f} s of CPU: not the heavy budget of 0.1 s"
    assert wall >= cpu * (1 + HEAVY.pause / HEAVY.slice) * 0.5


@pytest.mark.parametrize(("quote_first", "cards"), [(True, ["khalimov-us-trained"]), (False, [])])
def test_a_heavy_page_is_read_as_far_as_an_ordinary_one_and_says_so(
    client: FlaskClient, quote_first: bool, cards: list[str]
) -> None:
    text = "plain words of an ordinary page " * 600  # 19,200 characters
    filler = [{"id": f"f{n}", "text": text} for n in range(4)]
    quote = {"id": "quote", "text": QUOTE}
    passages = [quote, *filler] if quote_first else [*filler, quote]
    page = {"url": "https://example.org/c", "passages": passages}

    answer = post(client, json.dumps(page).encode()).get_json()

    assert [c["note_id"] for c in answer["cards"]] == cards
    assert answer["partial"] is True


def test_a_heavy_page_asking_only_for_reworded_cards_gets_none_marked_partial(
    client: FlaskClient,
) -> None:
    page = json.loads(cheap_heavy_body()) | {"tiers": ["reworded"]}

    answer = post(client, json.dumps(page).encode()).get_json()

    assert answer["cards"] == []
    assert answer["partial"] is True
