"""Admins manage tokens over HTTP; secrets are shown once and stored only as hashes."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.conftest import NEW_CLAIM


def test_admin_creates_a_token_that_works(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.post("/v1/tokens", json={"name": "Desk", "role": "curator"}, headers=admin)

    assert response.status_code == 201
    created = response.get_json()
    assert created["role"] == "curator"
    assert response.headers["Cache-Control"] == "no-store"
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.post("/v1/notes", json=NEW_CLAIM, headers=headers).status_code == 201


def test_list_never_shows_secrets_and_records_last_use(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    response = client.get("/v1/tokens", headers=admin)

    tokens = response.get_json()["tokens"]
    assert "token" not in tokens[0]
    assert "secret_hash" not in response.get_data(as_text=True)
    assert tokens[0]["last_used_at"] is not None


def test_only_hashes_are_stored(client: FlaskClient, admin: dict[str, str], app: Flask) -> None:
    secret = client.post(
        "/v1/tokens", json={"name": "D", "role": "admin"}, headers=admin
    ).get_json()["token"]

    with app.extensions["gloss.database"].engine.connect() as conn:
        stored = " ".join(str(r) for r in conn.execute(text("SELECT * FROM api_tokens")))

    assert secret not in stored


def test_revoked_token_is_refused(client: FlaskClient, admin: dict[str, str]) -> None:
    created = client.post("/v1/tokens", json={"name": "D", "role": "curator"}, headers=admin)
    token = created.get_json()

    assert client.delete(f"/v1/tokens/{token['id']}", headers=admin).status_code == 204

    headers = {"Authorization": f"Bearer {token['token']}"}
    response = client.post("/v1/notes", json=NEW_CLAIM, headers=headers)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_curator_cannot_manage_tokens(client: FlaskClient, curator: dict[str, str]) -> None:
    assert client.get("/v1/tokens", headers=curator).status_code == 403
    response = client.post("/v1/tokens", json={"name": "me", "role": "admin"}, headers=curator)
    assert response.status_code == 403


def test_unknown_role_is_422(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.post("/v1/tokens", json={"name": "x", "role": "owner"}, headers=admin)

    assert response.status_code == 422


def test_revoking_a_missing_token_is_404(client: FlaskClient, admin: dict[str, str]) -> None:
    assert client.delete("/v1/tokens/9999", headers=admin).status_code == 404
