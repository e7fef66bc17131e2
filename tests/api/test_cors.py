"""CORS: reads and matching from any origin, writes only from configured origins."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

TRUSTED = "https://desk.example.org"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"cors_origins": TRUSTED}


def preflight(client: FlaskClient, path: str, origin: str, method: str) -> Any:
    return client.options(path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type, authorization",
    })  # fmt: skip


def test_match_answers_any_origin(client: FlaskClient) -> None:
    response = preflight(client, "/v1/match", "https://news.example.com", "POST")

    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_public_read_answers_any_origin(client: FlaskClient) -> None:
    response = client.get("/v1/notes/south-front", headers={"Origin": "https://x.example"})

    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_writes_answer_only_trusted_origins(client: FlaskClient) -> None:
    stranger = preflight(client, "/v1/notes/south-front", "https://evil.example", "PATCH")
    trusted = preflight(client, "/v1/notes/south-front", TRUSTED, "PATCH")

    assert "Access-Control-Allow-Origin" not in stranger.headers
    assert trusted.headers["Access-Control-Allow-Origin"] == TRUSTED
    assert "authorization" in trusted.headers["Access-Control-Allow-Headers"].lower()
