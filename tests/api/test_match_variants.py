"""``POST /v1/match`` on republished copies: a footnote glued to a number, a transliterated
name, a word dropped inside a long name. Each gets the quote card; a near miss (another
number, another place, a name dropped from a list) gets none.

The sentences are invented for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import NEW_CLAIM

FLED = "More than 2,000 people left the valley before the dam burst."
TRUCKS = "Aid trucks from Herat reached the camp near Kandahar before dawn on Sunday."
GUARD = "The Islamic Revolutionary Guard Corps said on Monday"
SIGNED = "Abbott, Brennan, Carter and Dalton signed the new treaty"
URL = "https://news.example.com/story"


@pytest.fixture
def app_config(db_url: str) -> dict[str, Any]:
    return {"database_url": db_url, "seed_notes_dir": "", "reworded": False}


@pytest.fixture
def notes(client: FlaskClient, curator: dict[str, str]) -> None:
    quotes = {"fled": FLED, "trucks": TRUCKS, "guard": GUARD, "signed": SIGNED}
    for note_id, quote in quotes.items():
        note = NEW_CLAIM | {"id": note_id, "title": f"Claim {note_id}", "quotes": [quote]}
        assert client.post("/v1/notes", json=note, headers=curator).status_code == 201


def quote_cards(client: FlaskClient, text: str) -> list[tuple[str, str, str]]:
    body = {"url": URL, "passages": [{"id": "p", "text": text}], "tiers": ["quote"]}
    response = client.post("/v1/match", json=body)
    assert response.status_code == 200, response.get_json()
    cards = response.get_json()["cards"]
    return [(c["note_id"], c["match"], a["exact"]) for c in cards for a in c["anchors"]]


@pytest.mark.usefixtures("notes")
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(
            "By Friday more than 2,0003 people left the valley before the dam burst.",
            [("fled", "quote", "more than 2,0003 people left the valley before the dam burst")],
            id="footnote_glued_to_a_number",
        ),
        pytest.param(
            "By Friday more than 20,000 people left the valley before the dam burst.",
            [],
            id="neg_another_number",
        ),
        pytest.param(
            "Aid trucks from Gerat reached the camp near Kandagar before dawn on Sunday.",
            [
                (
                    "trucks",
                    "quote",
                    "Aid trucks from Gerat reached the camp near Kandagar before dawn on Sunday",
                )
            ],
            id="transliterated_names",
        ),
        pytest.param(
            "Aid trucks from Berat reached the camp near Kandahar before dawn on Sunday.",
            [],
            id="neg_another_place",
        ),
        pytest.param(
            "Yesterday the Islamic Revolutionary Corps said on Monday that it would respond.",
            [("guard", "quote", "the Islamic Revolutionary Corps said on Monday")],
            id="word_dropped_inside_a_name",
        ),
        pytest.param("Abbott, Carter and Dalton signed the new treaty.", [], id="neg_shorter_list"),
    ],
)
def test_republished_copies_get_the_quote_card_and_near_misses_none(
    client: FlaskClient, page: str, expected: list[tuple[str, str, str]]
) -> None:
    cards = quote_cards(client, page)

    assert cards == expected
