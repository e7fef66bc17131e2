"""Curators see readers' feedback counts, so new feedback must change the ETag they cache."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_new_feedback_invalidates_a_curators_etag(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    first = client.get("/v1/notes/south-front", headers=curator)
    client.post("/v1/cards/south-front/feedback", json={"helpful": False, "reason": "outdated"})

    again = client.get(
        "/v1/notes/south-front", headers=curator | {"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 200
    assert again.get_json()["feedback"]["not_helpful"] == 1
    assert again.headers["ETag"] != first.headers["ETag"]
    unchanged = client.get(
        "/v1/notes/south-front", headers=curator | {"If-None-Match": again.headers["ETag"]}
    )
    assert unchanged.status_code == 304
    assert "Authorization" in again.headers.get("Vary", "")


def test_a_curators_etag_with_feedback_still_works_as_if_match(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    client.post("/v1/cards/south-front/feedback", json={"helpful": True})
    etag = client.get("/v1/notes/south-front", headers=curator).headers["ETag"]

    response = client.patch(
        "/v1/notes/south-front",
        json={"body": "Edited by a curator who saw the feedback."},
        headers=curator | {"If-Match": etag},
    )

    assert response.status_code == 200
    assert response.get_json()["version"] == 2


def test_anonymous_etag_ignores_feedback_it_cannot_see(client: FlaskClient) -> None:
    first = client.get("/v1/notes/south-front")
    client.post("/v1/cards/south-front/feedback", json={"helpful": True})

    again = client.get("/v1/notes/south-front", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
