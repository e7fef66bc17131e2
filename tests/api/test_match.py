"""``POST /v1/match`` through HTTP: cards, anchors, ordering, limits and errors."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import page_passages

ARTICLE_URL = "https://www.globalresearch.ca/us-sponsored-isis/5480861"


def match(client: FlaskClient, url: str, passages: list[dict[str, str]]) -> Any:
    return client.post("/v1/match", json={"url": url, "passages": passages})


def test_example_article_gets_both_publishers_and_claim_cards(client: FlaskClient) -> None:
    passages = page_passages()

    response = match(client, ARTICLE_URL, passages)

    assert response.status_code == 200
    cards = response.get_json()["cards"]
    titles = " | ".join(c["title"] for c in cards if c["kind"] == "publisher")
    assert "Global Research" in titles
    assert "South Front" in titles or "SouthFront" in titles
    assert len([c for c in cards if c["kind"] in ("claim", "sourcing")]) >= 4


def test_every_anchor_covers_exactly_its_text(client: FlaskClient) -> None:
    passages = page_passages()
    texts = {p["id"]: p["text"] for p in passages}

    cards = match(client, ARTICLE_URL, passages).get_json()["cards"]

    anchors = [a for c in cards for a in c["anchors"]]
    assert anchors
    for anchor in anchors:
        assert texts[anchor["passage_id"]][anchor["start"] : anchor["end"]] == anchor["exact"]
        assert 0 <= anchor["score"] <= 100


def test_publishers_come_first_then_cards_in_page_order(client: FlaskClient) -> None:
    passages = page_passages()
    order = {p["id"]: i for i, p in enumerate(passages)}

    cards = match(client, ARTICLE_URL, passages).get_json()["cards"]

    kinds = [c["kind"] for c in cards]
    assert kinds == sorted(kinds, key=lambda k: k != "publisher")
    positions = [
        (order[c["anchors"][0]["passage_id"]], c["anchors"][0]["start"])
        for c in cards
        if c["kind"] != "publisher"
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "url",
    [
        "https://globalresearch.ca/a",
        "https://www.globalresearch.ca/a",
        "http://m.globalresearch.ca/a?x=1",
        "https://WWW.GlobalResearch.CA:443/a",
    ],
)
def test_publisher_matched_by_host_has_no_anchors(client: FlaskClient, url: str) -> None:
    passages = [{"id": "a", "text": "Nothing here names any publisher at all, just words."}]

    cards = match(client, url, passages).get_json()["cards"]

    assert [(c["kind"], c["anchors"]) for c in cards] == [("publisher", [])]
    assert "Global Research" in cards[0]["title"]


def test_lookalike_host_is_not_the_publisher(client: FlaskClient) -> None:
    passages = [{"id": "a", "text": "Nothing here names any publisher at all, just words."}]

    cards = match(client, "https://notglobalresearch.ca/a", passages).get_json()["cards"]

    assert cards == []


def test_publisher_named_in_text_is_anchored_on_each_mention(client: FlaskClient) -> None:
    text = "We read South Front daily. Later, South Front said more."
    passages = [{"id": "x", "text": text}]

    cards = match(client, "https://example.org/", passages).get_json()["cards"]

    south = [c for c in cards if c["kind"] == "publisher"]
    assert len(south) == 1
    assert [(a["start"], a["end"]) for a in south[0]["anchors"]] == [(8, 19), (34, 45)]


def test_empty_page_gets_no_cards(client: FlaskClient) -> None:
    response = match(client, "https://example.org/", [])

    assert response.status_code == 200
    assert response.get_json() == {
        "cards": [],
        "partial": False,
        "capped": False,
        "reworded_unread": 0,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)", "passages": []}, "url"),
        ({"url": "https://example.org/", "passages": [{"id": "a"}]}, "passages.0.text"),
        ({"url": "https://example.org/", "passages": [{"id": "", "text": "x"}]}, "passages.0.id"),
        ({"url": "https://example.org/", "passages": "text"}, "passages"),
        ({"url": "https://example.org/", "passages": [], "extra": 1}, "extra"),
        ({"passages": []}, "url"),
    ],
)
def test_invalid_match_request_is_422_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/match", json=body)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422
    assert field in [e["field"] for e in problem["errors"]]


def test_duplicate_passage_ids_are_422(client: FlaskClient) -> None:
    passages = [{"id": "a", "text": "one"}, {"id": "a", "text": "two"}]

    response = match(client, "https://example.org/", passages)

    assert response.status_code == 422


def test_too_many_passages_are_refused(client: FlaskClient) -> None:
    passages = [{"id": f"p{i}", "text": "x"} for i in range(2001)]

    response = match(client, "https://example.org/", passages)

    assert response.status_code in (413, 422)
    assert response.mimetype == "application/problem+json"


def test_too_long_passage_is_422(client: FlaskClient) -> None:
    response = match(client, "https://example.org/", [{"id": "a", "text": "x" * 20001}])

    assert response.status_code == 422


def test_body_over_two_megabytes_is_413(client: FlaskClient) -> None:
    body = b'{"url": "https://example.org/", "passages": [' + b" " * (2 * 1024 * 1024) + b"]}"

    response = client.post("/v1/match", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.get_json()["status"] == 413


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        (b"[" * 100000 + b"]" * 100000, "application/json", 400),
        (b'{"url": "https://example.org/", "passages": []}', "text/plain", 415),
        (b"url=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_unreadable_bodies_get_a_problem(
    client: FlaskClient, data: bytes, content_type: str, status: int
) -> None:
    response = client.post("/v1/match", data=data, content_type=content_type)

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.get("/v1/match")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.get_json()["status"] == 405


def test_only_published_notes_match(client: FlaskClient, app: Any) -> None:
    from server.store import notes as note_store

    database = app.extensions["gloss.database"]
    passages = page_passages()
    before = {c["note_id"] for c in match(client, ARTICLE_URL, passages).get_json()["cards"]}
    victim = sorted(before)[0]
    with database.transaction() as session:
        note = note_store.get(session, victim)
        content = note_store.content_of(note) | {"status": "draft"}
        note_store.update_content(session, note, content)

    after = {c["note_id"] for c in match(client, ARTICLE_URL, passages).get_json()["cards"]}

    assert after == before - {victim}


def test_anchors_carry_a_text_quote_selector(client: FlaskClient) -> None:
    text = "x" * 40 + " Read South Front today. " + "y" * 40
    cards = match(client, "https://example.org/", [{"id": "a", "text": text}]).get_json()["cards"]

    anchor = cards[0]["anchors"][0]

    assert anchor["selector"] == {
        "type": "TextQuoteSelector",
        "exact": "South Front",
        "prefix": text[anchor["start"] - 32 : anchor["start"]],
        "suffix": text[anchor["end"] : anchor["end"] + 32],
    }
    assert len(anchor["selector"]["prefix"]) == 32


def test_overlapping_matches_of_one_note_give_one_anchor(client: FlaskClient) -> None:
    passages = page_passages()

    cards = match(client, ARTICLE_URL, passages).get_json()["cards"]

    for card in cards:
        spans = sorted((a["passage_id"], a["start"], a["end"]) for a in card["anchors"])
        for (p1, _, e1), (p2, s2, _) in zip(spans, spans[1:], strict=False):
            assert p1 != p2 or e1 <= s2, f"{card['note_id']} has overlapping anchors"
