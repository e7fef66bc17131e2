"""Match rate limits charge by work: the characters a client sends, not its request count.

Two clients looping on 2 MB pages cost the server as much as hundreds of readers, yet stayed
far under a limit that counts requests. The work limit (``GLOSS_RATELIMIT_MATCH_CHARS``)
charges each request its body's length, before the body is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from server import create_app
from server.limits import limiter
from tests.conftest import NOTES_DIR

SMALL = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": "Hello there."}]}


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[FlaskClient]:
    app = create_app(
        {
            "database_url": f"sqlite:///{tmp_path / 'gloss.db'}",
            "seed_notes_dir": str(NOTES_DIR),
            "ratelimit_match_chars": "100000/minute",
        }
    )
    limiter.reset()
    yield app.test_client()
    limiter.reset()
    app.extensions["gloss.database"].dispose()


def _page_of(chars: int) -> dict[str, object]:
    """A page of ``chars`` characters in passages of 10,000."""
    text = "word " * 2_000
    passages = [{"id": f"p{n}", "text": text} for n in range(chars // len(text))]
    return {"url": "https://example.org/a", "passages": passages}


def test_big_pages_are_limited_by_the_characters_they_send(limited: FlaskClient) -> None:
    statuses = [limited.post("/v1/match", json=_page_of(40_000)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_many_small_pages_fit_in_the_same_work_limit(limited: FlaskClient) -> None:
    statuses = [limited.post("/v1/match", json=SMALL).status_code for _ in range(60)]

    assert statuses == [200] * 60


def test_a_work_refusal_is_a_problem_with_retry_after(limited: FlaskClient) -> None:
    for _ in range(2):
        limited.post("/v1/match", json=_page_of(40_000))

    refused = limited.post("/v1/match", json=_page_of(40_000))

    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_refusals_are_counted_in_the_metrics(limited: FlaskClient) -> None:
    for _ in range(3):
        limited.post("/v1/match", json=_page_of(40_000))

    text = limited.get("/metrics").get_data(as_text=True)

    assert 'gloss_ratelimit_rejections_total{endpoint="match.post_match"}' in text
