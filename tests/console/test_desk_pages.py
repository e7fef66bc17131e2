"""Feedback triage, token management and import pages (over HTTP)."""

from __future__ import annotations

import io
import json
import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import db_url  # noqa: F401 - triage's SQL runs on both databases
from tests.console.conftest import Console


def vote(client: FlaskClient, note_id: str, helpful: bool, reason: str | None = None) -> None:
    body: dict[str, object] = {"helpful": helpful}
    if reason:
        body["reason"] = reason
    assert client.post(f"/v1/cards/{note_id}/feedback", json=body).status_code == 201


def test_triage_ranks_by_not_helpful_share_and_marks_handled(
    desk: Console, client: FlaskClient
) -> None:
    vote(client, "global-research", False, "outdated")
    vote(client, "global-research", True)
    vote(client, "south-front", False, "inaccurate")
    vote(client, "south-front", False, "inaccurate")

    ranked = desk.get("/console/feedback?period=7").get_data(as_text=True)
    handled = desk.post("/console/notes/south-front/feedback/handled", {"back": "list"})
    still_open = desk.get("/console/feedback?period=7&open=1").get_data(as_text=True)

    order = re.findall(r'href="/console/notes/([a-z0-9-]+)">', ranked.split("<tbody>")[1])
    assert order == ["south-front", "global-research"]
    assert "inaccurate (2)" in ranked
    assert "100 %" in ranked
    assert "50 %" in ranked
    assert handled.status_code == 303
    assert "/console/notes/south-front" not in still_open
    assert "/console/notes/global-research" in still_open


def test_admin_creates_a_token_whose_secret_is_shown_once_and_works(
    boss: Console, app: Flask
) -> None:
    boss.get("/console/tokens")

    created = boss.post("/console/tokens", {"name": "New Desk", "role": "curator"})
    secret = re.search(r'id="secret" readonly value="([^"]+)"', created.get_data(as_text=True))
    listing = boss.get("/console/tokens").get_data(as_text=True)

    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    assert secret is not None
    assert secret.group(1) not in listing
    assert "New Desk" in listing
    assert Console(app.test_client()).sign_in(secret.group(1)).status_code == 303


def test_token_form_shows_the_apis_validation(boss: Console) -> None:
    boss.get("/console/tokens")

    response = boss.post("/console/tokens", {"name": "", "role": "overlord"})

    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "at least 1" in html
    assert "Input should be 'curator' or 'admin'" in html


BUNDLE = {
    "gloss": "bundle",
    "version": 1,
    "notes": [
        {
            "id": "imported-claim",
            "kind": "claim",
            "title": "An imported claim",
            "summary": "A claim brought in from another Gloss server's bundle.",
            "rating": "misleading",
            "quotes": ["the imported claim says that the river flows uphill every spring"],
            "sources": [{"title": "Hydrology", "url": "https://example.org/river"}],
            "status": "published",
        }
    ],
}


def test_import_dry_run_then_confirm(desk: Console, client: FlaskClient) -> None:
    desk.get("/console/import")
    upload = (io.BytesIO(json.dumps(BUNDLE).encode()), "bundle.json")

    dry = desk.post("/console/import", {"file": upload}, content_type="multipart/form-data")
    before = client.get("/v1/notes/imported-claim").status_code
    final = desk.post("/console/import", {"confirm": "1", "document": json.dumps(BUNDLE)})

    assert dry.status_code == 200
    assert "Dry run: nothing written yet" in dry.get_data(as_text=True)
    assert "<strong>1</strong> created" in dry.get_data(as_text=True)
    assert before == 404
    assert "Imported (bundle)" in final.get_data(as_text=True)
    assert client.get("/v1/notes/imported-claim").status_code == 200


def test_import_refuses_bad_items_and_writes_nothing(desk: Console, client: FlaskClient) -> None:
    desk.get("/console/import")
    bad = {**BUNDLE, "notes": [{**BUNDLE["notes"][0], "summary": "<b>x</b>"}]}  # type: ignore[dict-item]

    response = desk.post("/console/import", {"confirm": "1", "document": json.dumps(bad)})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Refused items" in html
    assert "<b>x</b>" not in html
    assert client.get("/v1/notes/imported-claim").status_code == 404
