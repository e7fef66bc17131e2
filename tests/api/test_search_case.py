"""Text search ignores case in every script, the same on SQLite as on PostgreSQL."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import NEW_CLAIM

TITLE = "Élan of the Überlingen ΣΟΦΙΑ Straße"


@pytest.fixture
def accented(client: FlaskClient, curator: dict[str, str]) -> str:
    response = client.post("/v1/notes", json=NEW_CLAIM | {"title": TITLE}, headers=curator)
    assert response.status_code == 201
    note_id: str = response.get_json()["id"]
    return note_id


@pytest.mark.parametrize(
    "query",
    [
        TITLE,  # exactly as written
        "élan of the überlingen",  # lower case
        "ÉLAN OF THE ÜBERLINGEN",  # upper case
        "σοφια",  # Greek, lower case
        "STRASSE",  # ß folds to ss
    ],
)
def test_search_folds_case_in_every_script(client: FlaskClient, accented: str, query: str) -> None:
    found = client.get("/v1/notes", query_string={"q": query}).get_json()["notes"]

    assert [n["id"] for n in found] == [accented]


def test_search_folds_case_in_summaries_and_quotes_too(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    note = NEW_CLAIM | {
        "summary": "Ärzte und Öffentlichkeit wurden getäuscht, sagen die Quellen.",
        "quotes": ["ЛУННЫЕ ПОСАДКИ были сняты в студии в пустыне Невада по сценарию"],
    }
    created = client.post("/v1/notes", json=note, headers=curator).get_json()["id"]

    by_summary = client.get("/v1/notes", query_string={"q": "ärzte UND öffentlichkeit"})
    by_quote = client.get("/v1/notes", query_string={"q": "лунные посадки"})

    assert [n["id"] for n in by_summary.get_json()["notes"]] == [created]
    assert [n["id"] for n in by_quote.get_json()["notes"]] == [created]


def test_search_does_not_match_across_fields(client: FlaskClient, accented: str) -> None:
    across = "straße nasa"  # the end of the title and the start of the summary

    found = client.get("/v1/notes", query_string={"q": across}).get_json()["notes"]

    assert found == []
