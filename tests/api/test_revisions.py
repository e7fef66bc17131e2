"""Every change keeps a revision; an old revision can be restored (as a new one)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import NEW_CLAIM


def test_history_records_each_change_with_author(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    client.post("/v1/notes", json=NEW_CLAIM | {"id": "moon"}, headers=curator)
    client.patch(
        "/v1/notes/moon", json={"rating": "misleading"}, headers=curator | {"If-Match": '"v1"'}
    )
    client.delete("/v1/notes/moon", headers=curator)

    response = client.get("/v1/notes/moon/revisions", headers=curator)

    assert response.status_code == 200
    revisions = response.get_json()["revisions"]
    assert [(r["number"], r["version"]) for r in revisions] == [(1, 1), (2, 2), (3, 3)]
    assert revisions[1]["summary"] == "edited rating"
    assert revisions[2]["summary"] == "retired"
    assert {r["author"] for r in revisions} == {"Casey Curator"}


def test_a_revision_is_a_full_snapshot(client: FlaskClient, curator: dict[str, str]) -> None:
    client.post("/v1/notes", json=NEW_CLAIM | {"id": "moon"}, headers=curator)

    snapshot = client.get("/v1/notes/moon/revisions/1", headers=curator).get_json()

    assert snapshot["note"]["quotes"] == NEW_CLAIM["quotes"]
    assert snapshot["note"]["version"] == 1


def test_restore_brings_back_old_content_as_a_new_version(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    client.post("/v1/notes", json=NEW_CLAIM | {"id": "moon"}, headers=curator)
    client.delete("/v1/notes/moon", headers=curator)

    response = client.post("/v1/notes/moon/revisions/1/restore", headers=curator)

    assert response.status_code == 200
    note = response.get_json()
    assert (note["status"], note["version"]) == ("published", 3)
    history = client.get("/v1/notes/moon/revisions", headers=curator).get_json()["revisions"]
    assert history[-1]["summary"] == "restored revision 1"


def test_history_needs_a_token(client: FlaskClient) -> None:
    assert client.get("/v1/notes/global-research/revisions").status_code == 401


def test_missing_revision_is_404(client: FlaskClient, curator: dict[str, str]) -> None:
    response = client.get("/v1/notes/global-research/revisions/99", headers=curator)

    assert response.status_code == 404
