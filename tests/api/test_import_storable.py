"""Import items that pass the note rules but would fail in the database are refused per item.

A bundle carries stored fields (timestamps, version): values the database cannot hold must be
a 422 naming the item, in ``dry_run`` too, never a 500 for the whole bundle.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from server.schemas import MAX_VERSION
from server.services import interchange

NOTE: dict[str, Any] = {
    "id": "storable-claim",
    "kind": "claim",
    "title": "A claim about storable values",
    "summary": "Checks that stored fields the database cannot hold are refused per item.",
    "rating": "false",
    "quotes": ["the values in this bundle were all chosen to break the database layer"],
    "sources": [{"title": "Example", "url": "https://example.org/source"}],
    "status": "published",
}


def do_import(client: FlaskClient, headers: dict[str, str], notes: list[Any], dry: bool) -> Any:
    url = "/v1/import?dry_run=true" if dry else "/v1/import"
    body = {"format": "gloss-bundle", "version": 1, "notes": notes}
    return client.post(url, data=json.dumps(body), headers=headers, content_type="application/json")


@pytest.mark.parametrize("dry", [True, False])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "2024-05-01T10:00:00"),  # naive
        ("updated_at", "2024-05-01 10:00:00"),  # naive
        ("created_at", "0001-01-01T00:00:00+01:00"),  # before year 1 in UTC
        ("updated_at", "9999-12-31T23:59:59-01:00"),  # after year 9999 in UTC
        ("version", 2**31),
        ("version", 2**63),
        ("version", MAX_VERSION + 1),
    ],
)
def test_unstorable_item_is_a_per_item_422(
    client: FlaskClient, curator: dict[str, str], field: str, value: Any, dry: bool
) -> None:
    good = NOTE | {"id": "storable-good", "created_at": "2024-05-01T10:00:00Z"}
    bad = NOTE | {field: value}

    response = do_import(client, curator, [good, bad], dry)

    assert response.status_code == 422
    [item] = response.get_json()["items"]
    assert (item["index"], item["id"]) == (1, "storable-claim")
    assert [e["field"] for e in item["errors"]] == [field]
    assert client.get("/v1/notes/storable-good").status_code == 404


def test_a_note_imported_at_the_highest_version_can_still_be_edited(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    imported = do_import(client, curator, [NOTE | {"version": MAX_VERSION}], dry=False)

    response = client.patch(
        "/v1/notes/storable-claim",
        json={"summary": "Edited after an import at the highest version we accept."},
        headers=curator | {"If-Match": f'"v{MAX_VERSION}"'},
    )

    assert imported.status_code == 200
    assert response.status_code == 200
    assert response.get_json()["version"] == MAX_VERSION + 1


def test_a_database_failure_part_way_rolls_back_only_its_batch(
    client: FlaskClient, curator: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = [NOTE | {"id": f"batch-note-{i}"} for i in range(300)]
    create = interchange._create
    calls = []

    def failing_create(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 250:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return create(*args, **kwargs)

    monkeypatch.setattr(interchange, "_create", failing_create)

    response = do_import(client, curator, notes, dry=False)

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    written = response.get_json()["created"]
    assert 0 < len(written) < 250
    monkeypatch.setattr(interchange, "_create", create)
    again = do_import(client, curator, notes, dry=False).get_json()  # exactly the rest is new
    assert sorted(again["unchanged"]) == sorted(written)
    assert len(again["created"]) == 300 - len(written)
