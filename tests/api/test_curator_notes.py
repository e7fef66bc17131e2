"""Curators create, edit, search, retire and restore notes through HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import NEW_CLAIM

PAGE = "Some say the moon landings were filmed in a studio in the Nevada desert by Kubrick, sure."


def create(client: FlaskClient, headers: dict[str, str], **changes: Any) -> Any:
    return client.post("/v1/notes", json=NEW_CLAIM | changes, headers=headers)


def patch(
    client: FlaskClient,
    headers: dict[str, str],
    note_id: str,
    etag: str | None,
    body: dict[str, Any],
) -> Any:
    extra = {"If-Match": etag} if etag else {}
    return client.patch(
        f"/v1/notes/{note_id}",
        json=body,
        headers=headers | extra,
        content_type="application/merge-patch+json",
    )


def matched_ids(client: FlaskClient, text: str = PAGE) -> set[str]:
    body = {"url": "https://example.org/", "passages": [{"id": "a", "text": text}]}
    return {c["note_id"] for c in client.post("/v1/match", json=body).get_json()["cards"]}


def test_create_assigns_a_slug_location_and_etag(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    response = create(client, curator)

    assert response.status_code == 201
    note = response.get_json()
    assert note["id"] == "the-moon-landing-was-staged"
    assert response.headers["Location"] == "/v1/notes/the-moon-landing-was-staged"
    assert response.headers["ETag"] == '"v1"'
    assert note["version"] == 1
    assert note["feedback"] == {"helpful": 0, "not_helpful": 0, "reasons": {}}


def test_same_title_twice_gets_a_second_slug(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator)

    assert create(client, curator).get_json()["id"] == "the-moon-landing-was-staged-2"


def test_duplicate_explicit_id_is_409(client: FlaskClient, curator: dict[str, str]) -> None:
    assert create(client, curator, id="moon").status_code == 201

    response = create(client, curator, id="moon")

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


def test_published_note_matches_at_once(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon")

    assert "moon" in matched_ids(client)


def test_anonymous_write_is_401_with_challenge(client: FlaskClient) -> None:
    response = client.post("/v1/notes", json=NEW_CLAIM)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["status"] == 401


@pytest.mark.parametrize(
    ("header", "secret"),
    [
        ("Bearer gloss_unknown_123", "gloss_unknown_123"),
        ("Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("Bearer", None),
        ("gloss_abc", "gloss_abc"),
        ("Bearer " + "x" * 500, "x" * 500),
    ],
)
def test_bad_token_is_401_and_never_echoed(
    client: FlaskClient, header: str, secret: str | None
) -> None:
    response = client.post("/v1/notes", json=NEW_CLAIM, headers={"Authorization": header})

    assert response.status_code == 401
    assert secret is None or secret not in response.get_data(as_text=True)


def test_curator_cannot_purge(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon")

    response = client.delete("/v1/notes/moon?purge=true", headers=curator)

    assert response.status_code == 403
    assert client.get("/v1/notes/moon", headers=curator).status_code == 200


def test_invalid_note_lists_every_bad_field(client: FlaskClient, curator: dict[str, str]) -> None:
    body = NEW_CLAIM | {
        "summary": "x" * 501,
        "sources": [{"title": "t", "url": "javascript:alert(1)"}],
        "quotes": ["too short"],
        "colour": "red",
    }

    response = client.post("/v1/notes", json=body, headers=curator)

    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"summary", "sources.0.url", "quotes.0", "colour"} <= fields
    assert "javascript" not in response.get_data(as_text=True)


def test_control_characters_are_stripped(client: FlaskClient, curator: dict[str, str]) -> None:
    response = create(client, curator, title="Moon\x00 landing\x07 hoax\u200b?", id="moon")

    assert response.get_json()["title"] == "Moon landing hoax\u200b?"


def test_edit_with_if_match_bumps_version_and_etag(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    create(client, curator, id="moon")

    response = patch(client, curator, "moon", '"v1"', {"rating": "misleading", "body": "More."})

    assert response.status_code == 200
    assert response.headers["ETag"] == '"v2"'
    note = response.get_json()
    assert (note["rating"], note["body"], note["version"]) == ("misleading", "More.", 2)
    assert note["summary"] == NEW_CLAIM["summary"]


def test_merge_patch_null_clears_an_optional_field(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    create(client, curator, id="moon", body="Long text.")

    response = patch(client, curator, "moon", '"v1"', {"body": None})

    assert response.get_json()["body"] is None


def test_edit_without_if_match_is_428(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon")

    assert patch(client, curator, "moon", None, {"rating": "misleading"}).status_code == 428


def test_stale_if_match_is_412(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon")
    patch(client, curator, "moon", '"v1"', {"rating": "misleading"})

    response = patch(client, curator, "moon", '"v1"', {"rating": "disputed"})

    assert response.status_code == 412
    current = client.get("/v1/notes/moon", headers=curator).get_json()
    assert (current["rating"], current["version"]) == ("misleading", 2)


def test_invalid_patch_is_422_and_changes_nothing(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    create(client, curator, id="moon")

    response = patch(client, curator, "moon", '"v1"', {"rating": None})

    assert response.status_code == 422
    assert client.get("/v1/notes/moon", headers=curator).get_json()["version"] == 1


def test_id_cannot_be_patched(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon")

    assert patch(client, curator, "moon", '"v1"', {"id": "sun"}).status_code == 422


def test_get_with_matching_if_none_match_is_304(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    create(client, curator, id="moon")

    response = client.get("/v1/notes/moon", headers={"If-None-Match": '"v1"'})

    assert response.status_code == 304


def test_retire_stops_matching_and_hides_from_anonymous(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    create(client, curator, id="moon")

    response = client.delete("/v1/notes/moon", headers=curator)

    assert response.status_code == 204
    assert "moon" not in matched_ids(client)
    assert client.get("/v1/notes/moon").status_code == 404
    assert client.get("/v1/notes/moon", headers=curator).get_json()["status"] == "retired"


def test_admin_purge_deletes_for_good(client: FlaskClient, admin: dict[str, str]) -> None:
    create(client, admin, id="moon")

    assert client.delete("/v1/notes/moon?purge=true", headers=admin).status_code == 204

    assert client.get("/v1/notes/moon", headers=admin).status_code == 404
    assert "moon" not in matched_ids(client)
    assert client.get("/v1/notes/moon/revisions", headers=admin).status_code == 404


def test_anonymous_list_shows_only_published(client: FlaskClient, curator: dict[str, str]) -> None:
    create(client, curator, id="moon", status="draft")

    public = {n["id"] for n in client.get("/v1/notes?limit=200").get_json()["notes"]}
    private = {
        n["id"] for n in client.get("/v1/notes?limit=200", headers=curator).get_json()["notes"]
    }

    assert "moon" not in public
    assert "moon" in private
    assert "global-research" in public


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=publisher", {"global-research", "south-front"}),
        ("domain=southfront.org", {"south-front"}),
        ("q=KUBRICK", {"moon"}),
        ("q=moon landing was", {"moon"}),
        ("q=%25_%25", set()),
        ("q=' OR 1=1 --", set()),
        ("status=draft", set()),
    ],
)
def test_search_filters(
    client: FlaskClient, curator: dict[str, str], query: str, expected: set[str]
) -> None:
    create(client, curator, id="moon")

    response = client.get(f"/v1/notes?{query}&limit=200", headers=curator)

    assert response.status_code == 200
    assert {n["id"] for n in response.get_json()["notes"]} == expected


def test_cursor_pagination_walks_every_note_once(client: FlaskClient) -> None:
    seen: list[str] = []
    url = "/v1/notes?limit=5"
    while url:
        body = client.get(url).get_json()
        seen += [n["id"] for n in body["notes"]]
        url = f"/v1/notes?limit=5&cursor={body['next_cursor']}" if body["next_cursor"] else ""

    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) >= 12


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1000",
        "kind=opinion",
        "cursor=%%%",
        "limit=1&limit=2",
        # The document says integer: decimal digits only, as a client checking it expects.
        "limit=%205",
        "limit=5%20",
        "limit=+5",
        "limit=5.0",
        "limit=1_0",
        "limit=5%0A",
    ],
)
def test_bad_list_query_is_422(client: FlaskClient, query: str) -> None:
    assert client.get(f"/v1/notes?{query}").status_code == 422


@pytest.mark.parametrize("value", ["1", "yes", "on", "True", "t"])
def test_query_booleans_are_true_or_false_only(
    client: FlaskClient, admin: dict[str, str], value: str
) -> None:
    create(client, admin, id="moon")
    response = client.delete(f"/v1/notes/moon?purge={value}", headers=admin)
    assert response.status_code == 422
    assert client.get("/v1/notes/moon", headers=admin).status_code == 200
