"""``GET /v1/health`` and the public read of a note."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from server.store import notes as note_store


def test_health_reports_published_notes(client: FlaskClient) -> None:
    response = client.get("/v1/health")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["notes"] >= 6
    assert "match" in body["features"]


def test_published_note_is_readable_by_anyone(client: FlaskClient) -> None:
    response = client.get("/v1/notes/global-research")

    assert response.status_code == 200
    note = response.get_json()
    assert note["id"] == "global-research"
    assert note["version"] >= 1
    assert note["created_at"].endswith(("Z", "+00:00"))


def test_draft_note_is_not_public(client: FlaskClient, app: Flask) -> None:
    with app.extensions["gloss.database"].transaction() as session:
        note = note_store.get(session, "global-research")
        assert note is not None
        note_store.update_content(session, note, note_store.content_of(note) | {"status": "draft"})

    response = client.get("/v1/notes/global-research")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_missing_note_is_404(client: FlaskClient) -> None:
    assert client.get("/v1/notes/no-such-note").status_code == 404


def test_matching_keeps_working_when_the_database_goes_away(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"url": "https://example.org/", "passages": [{"id": "a", "text": "Read South Front."}]}
    assert client.post("/v1/match", json=body).status_code == 200

    def unreachable(*args: object) -> int:
        raise OperationalError("SELECT", {}, OSError("connection refused"))

    monkeypatch.setattr(note_store, "current_generation", unreachable)

    health = client.get("/v1/health")
    matched = client.post("/v1/match", json=body)

    assert health.status_code == 503
    assert health.headers["Retry-After"] == "5"
    assert matched.status_code == 200
    assert matched.get_json()["cards"][0]["note_id"] == "south-front"


def test_a_restored_older_database_is_reloaded_whole(client: FlaskClient, app: Flask) -> None:
    from sqlalchemy import update

    from server.store.models import CatalogState

    body = {"url": "https://example.org/", "passages": [{"id": "a", "text": "Read South Front."}]}
    assert client.post("/v1/match", json=body).get_json()["cards"]
    with app.extensions["gloss.database"].transaction() as session:
        note = note_store.get(session, "south-front")
        assert note is not None
        session.delete(note)
        session.execute(update(CatalogState).values(generation=1))

    response = client.post("/v1/match", json=body)

    assert response.get_json()["cards"] == []
