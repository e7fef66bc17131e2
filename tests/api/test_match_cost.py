"""The cost of one match is bounded, whatever the page: hostile bodies of 2 MB, anchors capped,
a work budget that answers what it found, and no lock held while a page is read or aligned.

The hostile pages repeat what the shipped notes match (a publisher's alias, a quote, a quote
with one word changed, which forces a real alignment at every copy) until the body is as
large as the server accepts. Cost is the CPU time of the thread that serves the request.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import create_app
from tests.conftest import NOTES_DIR
from tests.reliability.hostile_pages import EDITED, QUOTE, UNITS, hostile_body

HOSTILE_UNITS = UNITS


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: what is measured here is the matching, not the database."""
    return f"sqlite:///{tmp_path / 'gloss.db'}"


@pytest.fixture
def app_config(db_url: str) -> dict[str, Any]:
    """Heavy bodies get the whole ordinary budget here: what is measured is the engine's
    worst case within ``GLOSS_MATCH_BUDGET_MS``, not the heavy lane's smaller allowance."""
    return {"database_url": db_url, "seed_notes_dir": str(NOTES_DIR), "heavy_match_budget_ms": 1000}


def post(client: FlaskClient, body: bytes) -> Any:
    return client.post("/v1/match", data=body, content_type="application/json")


@pytest.mark.parametrize("unit", HOSTILE_UNITS.values(), ids=HOSTILE_UNITS.keys())
def test_the_worst_two_megabyte_bodies_cost_at_most_two_seconds_of_cpu(
    client: FlaskClient, unit: str
) -> None:
    body = hostile_body(unit)
    post(client, hostile_body(unit, 30_000))  # warm the index and the caches

    started = time.thread_time()
    response = post(client, body)
    cost = time.thread_time() - started

    assert response.status_code == 200
    assert cost <= 2.0, f"{cost:.2f} s of CPU for one match"
    assert response.get_json()["capped"] is True


def test_a_card_keeps_fifty_anchors_and_the_answer_says_it_capped(client: FlaskClient) -> None:
    text = "Global Research reported. " * 60
    page = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": text}]}

    answer = client.post("/v1/match", json=page).get_json()

    (card,) = answer["cards"]
    assert card["note_id"] == "global-research"
    assert len(card["anchors"]) == 50
    assert [a["start"] for a in card["anchors"]] == [26 * i for i in range(50)]
    assert answer["capped"] is True
    assert answer["partial"] is False


def test_a_page_within_the_caps_is_neither_capped_nor_partial(client: FlaskClient) -> None:
    page = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": QUOTE}]}

    answer = client.post("/v1/match", json=page).get_json()

    assert [c["note_id"] for c in answer["cards"]] == ["khalimov-us-trained"]
    assert (answer["partial"], answer["capped"]) == (False, False)


def test_a_spent_budget_answers_what_it_found_marked_partial(db_url: str) -> None:
    app = create_app(
        {"database_url": db_url, "seed_notes_dir": str(NOTES_DIR), "match_budget_ms": 1}
    )
    try:
        response = post(app.test_client(), hostile_body(EDITED + " "))
    finally:
        app.extensions["gloss.database"].dispose()

    assert response.status_code == 200
    assert response.get_json()["partial"] is True


def test_a_costly_page_does_not_hold_up_another_readers_match(app: Flask) -> None:
    client = app.test_client()
    post(client, hostile_body(EDITED + " ", 30_000))
    costly = threading.Thread(target=post, args=(app.test_client(), hostile_body(EDITED + " ")))
    small = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": QUOTE}]}

    costly.start()
    time.sleep(0.3)
    started = time.perf_counter()
    answer = client.post("/v1/match", json=small).get_json()
    waited = time.perf_counter() - started
    still_running = costly.is_alive()
    costly.join()

    assert [c["note_id"] for c in answer["cards"]] == ["khalimov-us-trained"]
    assert still_running, "the costly match ended too soon to tell"
    assert waited < 0.5, f"a small match waited {waited:.2f} s behind a costly one"
