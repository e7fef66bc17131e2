"""The reworded tier through HTTP: claim notes matched by meaning, with the real model.

Fixtures are invented claims in our own words; each reworded sentence was checked to say
what its claim says, each "wrong" one to differ on exactly the fact a check guards.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from server.semantic import calibration
from server.store import tokens as token_store
from server.store.models import NoteVector

HERRING = (
    "The keepers of the Skarvholm lighthouse were paid their wages in barrels of herring "
    "instead of money."
)
HERRING_REWORDED = (
    "Instead of money, the men who kept the Skarvholm lighthouse received barrels of "
    "herring as pay."
)
HERRING_NEGATED = (
    "Instead of money, the men who kept the Skarvholm lighthouse did not receive barrels "
    "of herring as pay."
)
FLOOD = "A flood in the valley town of Brenmoor in 1911 destroyed 37 houses and the old mill."
FLOOD_REWORDED = (
    "The old mill and 37 homes in Brenmoor were wiped out when the valley flooded in 1911."
)
FLOOD_WRONG_NUMBER = (
    "The old mill and 59 homes in Brenmoor were wiped out when the valley flooded in 1911."
)
UNRELATED = "The Skarvholm lighthouse was painted red and white in the spring."
URL = "https://news.example.com/story"


@pytest.fixture
def app_config(db_url: str) -> dict[str, Any]:
    return {"database_url": db_url, "seed_notes_dir": ""}


@pytest.fixture
def curator(app: Flask) -> dict[str, str]:
    with app.extensions["gloss.database"].transaction() as session:
        _, secret = token_store.create(session, "desk", "curator")
    return {"Authorization": f"Bearer {secret}"}


def claim(note_id: str, quote: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": note_id,
        "kind": "claim",
        "title": f"Claim {note_id}",
        "summary": "Archive records tell a different story.",
        "rating": "false",
        "status": "published",
        "quotes": [quote],
        "sources": [{"title": "Archive", "url": "https://example.org/archive"}],
        **extra,
    }


@pytest.fixture
def notes(client: FlaskClient, curator: dict[str, str]) -> None:
    for note in (claim("herring-wages", HERRING), claim("brenmoor-flood", FLOOD)):
        assert client.post("/v1/notes", json=note, headers=curator).status_code == 201


def match(client: FlaskClient, *texts: str, **extra: Any) -> list[dict[str, Any]]:
    passages = [{"id": f"p{i}", "text": text} for i, text in enumerate(texts)]
    response = client.post("/v1/match", json={"url": URL, "passages": passages, **extra})
    assert response.status_code == 200, response.get_json()
    cards: list[dict[str, Any]] = response.get_json()["cards"]
    return cards


@pytest.mark.usefixtures("notes")
def test_a_reworded_sentence_gets_a_reworded_card_anchored_on_the_sentence(
    client: FlaskClient,
) -> None:
    text = f"Old tales travel far. {HERRING_REWORDED} Nobody checked."

    cards = match(client, text)

    assert [(c["note_id"], c["match"]) for c in cards] == [("herring-wages", "reworded")]
    (anchor,) = cards[0]["anchors"]
    assert (anchor["start"], anchor["end"]) == (22, 22 + len(HERRING_REWORDED))
    assert anchor["exact"] == HERRING_REWORDED
    assert 50 <= anchor["score"] <= 100
    assert cards[0]["claim"] == HERRING


@pytest.mark.usefixtures("notes")
def test_a_copied_quote_is_a_quote_card_and_never_also_a_reworded_one(
    client: FlaskClient,
) -> None:
    cards = match(client, HERRING, HERRING_REWORDED)

    assert [(c["note_id"], c["match"], c["claim"]) for c in cards] == [
        ("herring-wages", "quote", None)
    ]


@pytest.mark.usefixtures("notes")
@pytest.mark.parametrize(
    ("tiers", "expected"),
    [
        (["quote"], [("herring-wages", "quote")]),
        (["reworded"], [("brenmoor-flood", "reworded")]),
        (["quote", "reworded"], [("herring-wages", "quote"), ("brenmoor-flood", "reworded")]),
    ],
)
def test_tiers_pick_which_cards_come_back(
    client: FlaskClient, tiers: list[str], expected: list[tuple[str, str]]
) -> None:
    cards = match(client, HERRING, FLOOD_REWORDED, tiers=tiers)

    assert [(c["note_id"], c["match"]) for c in cards] == expected


@pytest.mark.usefixtures("notes")
@pytest.mark.parametrize(
    "sentence",
    [HERRING_NEGATED, FLOOD_WRONG_NUMBER, UNRELATED],
    ids=["negation", "number", "unrelated"],
)
def test_sentences_that_disagree_with_the_claim_get_no_card(
    client: FlaskClient, sentence: str
) -> None:
    assert match(client, sentence) == []


@pytest.mark.usefixtures("notes")
def test_a_long_page_is_read_over_follow_up_requests_that_each_embed_a_few_new_sentences(
    client: FlaskClient,
) -> None:
    # Sentences close enough in words to a claim to be read by meaning, wrong on a number or a
    # negation (so no card), around the two that say what the claims say.
    decoys = [FLOOD_WRONG_NUMBER.replace("59", str(n)) for n in (41, 52, 59, 63, 78)]
    texts = [*decoys[:3], HERRING_REWORDED, HERRING_NEGATED, *decoys[3:], FLOOD_REWORDED]
    passages = [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)]
    ask = {"url": URL, "passages": passages, "tiers": ["reworded"]}

    answers = []
    for _ in range(len(texts)):
        answer = client.post("/v1/match", json=ask).get_json()
        answers.append(answer)
        if answer["reworded_unread"] == 0:
            break

    unread = [a["reworded_unread"] for a in answers]
    found = [{c["note_id"] for c in a["cards"]} for a in answers]
    assert unread[0] == len(texts) - calibration.BUDGET
    assert unread == [max(0, unread[0] - calibration.BUDGET * i) for i in range(len(unread))]
    assert found[-1] == {"herring-wages", "brenmoor-flood"}
    assert all(earlier <= later for earlier, later in zip(found, found[1:], strict=False))
    assert (
        client.post("/v1/match", json={**ask, "tiers": ["quote"]}).get_json()["reworded_unread"]
        == 0
    )


@pytest.mark.parametrize("tiers", [[], ["meaning"], ["quote", "quote", "reworded"]])
def test_bad_tiers_are_422(client: FlaskClient, tiers: list[str]) -> None:
    response = client.post(
        "/v1/match", json={"url": URL, "passages": [{"id": "p0", "text": "x"}], "tiers": tiers}
    )

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


@pytest.mark.usefixtures("notes")
def test_a_curator_turns_the_tier_off_for_one_note(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    etag = client.get("/v1/notes/herring-wages", headers=curator).headers["ETag"]

    response = client.patch(
        "/v1/notes/herring-wages",
        json={"reworded": False},
        headers={**curator, "If-Match": etag, "Content-Type": "application/merge-patch+json"},
    )

    assert response.status_code == 200
    assert response.get_json()["reworded"] is False
    assert match(client, HERRING_REWORDED) == []
    assert [c["match"] for c in match(client, HERRING)] == ["quote"]


@pytest.mark.usefixtures("notes")
def test_vectors_are_stored_with_the_model_name_and_version(app: Flask) -> None:
    with app.extensions["gloss.database"].session() as session:
        rows = session.execute(select(NoteVector).order_by(NoteVector.note_id)).scalars().all()

    assert [(r.note_id, r.number) for r in rows] == [("brenmoor-flood", 0), ("herring-wages", 0)]
    assert {r.model_name for r in rows} == {"all-MiniLM-L6-v2-int8"}
    assert all(r.model_version.startswith("1.0.0+") for r in rows)
    assert all(len(r.vector) == 384 * 2 for r in rows)


def test_health_lists_the_tier(client: FlaskClient) -> None:
    assert "reworded" in client.get("/v1/health").get_json()["features"]


class TestTurnedOffServerWide:
    @pytest.fixture
    def app_config(self, db_url: str) -> dict[str, Any]:
        return {"database_url": db_url, "seed_notes_dir": "", "reworded": False}

    @pytest.mark.usefixtures("notes")
    def test_no_reworded_cards_no_vectors_and_health_says_so(
        self, client: FlaskClient, app: Flask
    ) -> None:
        cards = match(client, HERRING_REWORDED, HERRING)

        assert [c["match"] for c in cards] == ["quote"]
        assert "reworded" not in client.get("/v1/health").get_json()["features"]
        with app.extensions["gloss.database"].session() as session:
            assert session.execute(select(NoteVector)).first() is None


def test_claims_written_in_bulk_without_vectors_keep_the_quote_tier_until_reembedded(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import delete

    from server.services import reworded

    monkeypatch.setattr(reworded, "EMBED_AT_LEARN", 1)  # more than this: left to reembed
    for note in (claim("herring-wages", HERRING), claim("brenmoor-flood", FLOOD)):
        client.post("/v1/notes", json={**note, "status": "draft"}, headers=curator_of(app))
    with app.extensions["gloss.database"].transaction() as session:
        session.execute(delete(NoteVector))  # as an open-data import or a restore leaves them
        session.execute(text("UPDATE notes SET status = 'published'"))
        session.execute(text("UPDATE catalog_state SET generation = generation + 1"))
        session.execute(text("UPDATE notes SET seq = (SELECT generation FROM catalog_state)"))

    reworded_cards = match(client, HERRING_REWORDED)
    quote_cards = match(client, HERRING)

    assert reworded_cards == []
    assert [(c["note_id"], c["match"]) for c in quote_cards] == [("herring-wages", "quote")]


def curator_of(app: Flask) -> dict[str, str]:
    with app.extensions["gloss.database"].transaction() as session:
        _, secret = token_store.create(session, "bulk", "curator")
    return {"Authorization": f"Bearer {secret}"}
