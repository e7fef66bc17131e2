"""Import and export: our bundle (exact round trip), ClaimReview, W3C Web Annotation."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from server import create_app
from tests.conftest import make_token

CLAIM_REVIEW: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "datePublished": "2016-06-22",
    "url": "https://factcheck.example.org/2016/flat-earth",
    "claimReviewed": (
        "The curvature of the earth cannot be seen from any commercial airliner window"
    ),
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Square World Society"},
        "firstAppearance": {"@type": "CreativeWork", "url": "https://flat.example.com/post/1"},
        "appearance": [{"@type": "CreativeWork", "url": "https://news.example.com/a122121"}],
    },
    "author": {"@type": "Organization", "name": "Example Science Watch"},
    "reviewRating": {
        "@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
        "alternateName": "Mostly False",
    },
}  # fmt: skip

WEB_ANNOTATION: dict[str, Any] = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "https://annotations.example.org/anno/42",
    "type": "Annotation",
    "motivation": "assessing",
    "body": [
        {"type": "TextualBody", "purpose": "describing",
         "value": "Tajikistan's police commander was trained in US-funded courses."},
        {"type": "TextualBody", "purpose": "classifying", "value": "accurate"},
        {"type": "SpecificResource", "purpose": "linking",
         "source": "https://www.rferl.org/a/tajikistan-is/27045624.html", "name": "RFE/RL"},
    ],
    "target": {
        "source": "https://www.globalresearch.ca/x",
        "selector": [{"type": "TextQuoteSelector", "exact":
                      "The head of Tajikistan's Special Assignment Police Unit promised to wage"
                      " a violent jihad."}],
    },
}  # fmt: skip


def do_import(client: FlaskClient, headers: dict[str, str], doc: Any, dry: bool = False) -> Any:
    url = "/v1/import?dry_run=true" if dry else "/v1/import"
    return client.post(
        url, data=json.dumps(doc), headers=headers, content_type="application/ld+json"
    )


def match(client: FlaskClient, text: str) -> list[dict[str, Any]]:
    body = {"url": "https://example.org/", "passages": [{"id": "a", "text": text}]}
    cards: list[dict[str, Any]] = client.post("/v1/match", json=body).get_json()["cards"]
    return cards


def test_claimreview_imports_into_a_claim_that_matches(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    response = do_import(client, curator, CLAIM_REVIEW)

    assert response.status_code == 200
    result = response.get_json()
    assert result["format"] == "claimreview"
    [note_id] = result["created"]
    note = client.get(f"/v1/notes/{note_id}").get_json()
    assert (note["kind"], note["rating"]) == ("claim", "misleading")
    assert note["sources"][0]["url"] == CLAIM_REVIEW["url"]
    assert "Example Science Watch" in note["summary"]
    assert "https://flat.example.com/post/1" in note["body"]
    page = (
        "He wrote: the curvature of the Earth cannot be seen from any commercial airliner window."
    )
    assert [c["note_id"] for c in match(client, page)] == [note_id]


def test_importing_the_same_claimreview_twice_changes_nothing(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    do_import(client, curator, [CLAIM_REVIEW])

    result = do_import(client, curator, [CLAIM_REVIEW]).get_json()

    assert (len(result["created"]), len(result["unchanged"])) == (0, 1)


def test_web_annotation_imports_with_quote_body_and_rating(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    result = do_import(client, curator, WEB_ANNOTATION).get_json()

    note = client.get(f"/v1/notes/{result['created'][0]}").get_json()
    assert note["quotes"] == [WEB_ANNOTATION["target"]["selector"][0]["exact"]]
    assert note["summary"].startswith("Tajikistan's police commander")
    assert note["rating"] == "accurate"
    assert note["sources"] == [{"title": "RFE/RL", "url": WEB_ANNOTATION["body"][2]["source"]}]


def test_dry_run_reports_and_writes_nothing(client: FlaskClient, curator: dict[str, str]) -> None:
    result = do_import(client, curator, CLAIM_REVIEW, dry=True).get_json()

    assert result["dry_run"] is True
    assert len(result["created"]) == 1
    assert client.get(f"/v1/notes/{result['created'][0]}").status_code == 404


def test_one_bad_item_fails_the_whole_import(client: FlaskClient, curator: dict[str, str]) -> None:
    bad = CLAIM_REVIEW | {"url": "javascript:alert(1)", "claimReviewed": "Too short"}
    good = CLAIM_REVIEW | {"url": "https://factcheck.example.org/other"}

    response = do_import(client, curator, [good, bad])

    assert response.status_code == 422
    items = response.get_json()["items"]
    assert [i["index"] for i in items] == [1]
    assert client.get("/v1/notes?q=airliner").get_json()["notes"] == []


def test_unknown_document_is_422(client: FlaskClient, curator: dict[str, str]) -> None:
    assert do_import(client, curator, {"hello": "world"}).status_code == 422


def test_import_needs_a_curator(client: FlaskClient) -> None:
    assert do_import(client, {}, CLAIM_REVIEW).status_code == 401


def test_bundle_round_trip_into_an_empty_database_is_exact(
    client: FlaskClient, curator: dict[str, str], app_config: dict[str, Any], tmp_path: Any
) -> None:
    do_import(client, curator, CLAIM_REVIEW)
    client.patch(
        "/v1/notes/global-research", json={"body": "Edited once."},
        headers=curator | {"If-Match": '"v1"'},
    )  # fmt: skip
    exported = client.get("/v1/export?format=bundle")
    bundle = json.loads(exported.get_data(as_text=True))
    other_config = app_config | {
        "database_url": f"sqlite:///{tmp_path / 'other.db'}", "seed_notes_dir": ""
    }  # fmt: skip
    other: Flask = create_app(other_config)
    other_client = other.test_client()
    headers = {"Authorization": f"Bearer {make_token(other, 'curator')}"}

    response = do_import(other_client, headers, bundle)

    assert response.status_code == 200
    again = json.loads(other_client.get("/v1/export?format=bundle").get_data(as_text=True))
    assert again["notes"] == bundle["notes"]
    assert len(bundle["notes"]) >= 13
    edited = next(n for n in again["notes"] if n["id"] == "global-research")
    assert (edited["version"], edited["body"]) == (2, "Edited once.")
    other.extensions["gloss.database"].dispose()


def test_claimreview_export_round_trips_through_import(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    exported = json.loads(client.get("/v1/export?format=claimreview").get_data(as_text=True))

    assert exported
    assert all(r["@type"] == "ClaimReview" for r in exported)
    result = do_import(client, curator, exported, dry=True).get_json()
    assert result["created"] == []


def test_web_annotation_export_is_an_annotation_page(client: FlaskClient) -> None:
    page = json.loads(client.get("/v1/export?format=webannotation").get_data(as_text=True))

    assert page["type"] == "AnnotationPage"
    kinds = {a["motivation"] for a in page["items"]}
    assert kinds == {"assessing", "questioning"}
    first = page["items"][0]
    assert first["target"][0]["selector"]["type"] == "TextQuoteSelector"


def test_unknown_export_format_is_422(client: FlaskClient) -> None:
    assert client.get("/v1/export?format=csv").status_code == 422
