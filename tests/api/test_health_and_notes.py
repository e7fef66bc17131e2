"""``GET /v1/health`` and the public read of a note."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

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
