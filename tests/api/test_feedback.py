"""Readers' feedback on cards: no account, a fixed list of reasons, rate-limited, counted."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient


def test_feedback_is_counted_for_curators(client: FlaskClient, curator: dict[str, str]) -> None:
    for body in ({"helpful": True}, {"helpful": False, "reason": "outdated"}):
        assert client.post("/v1/cards/south-front/feedback", json=body).status_code == 201

    note = client.get("/v1/notes/south-front", headers=curator).get_json()

    assert note["feedback"] == {"helpful": 1, "not_helpful": 1, "reasons": {"outdated": 1}}
    assert "feedback" not in client.get("/v1/notes/south-front").get_json()


@pytest.mark.parametrize(
    "body", [{"helpful": "yes"}, {"helpful": True, "reason": "hate it"}, {"reason": "other"}, []]
)
def test_bad_feedback_is_422(client: FlaskClient, body: Any) -> None:
    assert client.post("/v1/cards/south-front/feedback", json=body).status_code == 422


def test_feedback_on_unknown_card_is_404(client: FlaskClient) -> None:
    response = client.post("/v1/cards/nothing-here/feedback", json={"helpful": True})

    assert response.status_code == 404


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"ratelimit_feedback": "3/minute"}


def test_feedback_is_rate_limited_with_retry_after(client: FlaskClient) -> None:
    statuses = [
        client.post("/v1/cards/south-front/feedback", json={"helpful": True}).status_code
        for _ in range(4)
    ]
    response = client.post("/v1/cards/south-front/feedback", json={"helpful": True})

    assert statuses == [201, 201, 201, 429]
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.mimetype == "application/problem+json"
