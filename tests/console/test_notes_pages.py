"""Notes list, editor (validation, preview, try it, status buttons), conflicts and history."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_token
from tests.console.conftest import CLAIM_FORM, Console


def create(desk: Console, **changes: str) -> str:
    desk.get("/console/notes/new")
    response = desk.post("/console/notes/new", {**CLAIM_FORM, "action": "save", **changes})
    assert response.status_code == 303, response.get_data(as_text=True)
    return str(response.headers["Location"]).split("?")[0]


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="f-{name}-error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_invalid_note_shows_the_apis_messages_next_to_the_fields(desk: Console) -> None:
    desk.get("/console/notes/new")

    response = desk.post(
        "/console/notes/new",
        {**CLAIM_FORM, "title": "x", "summary": "short", "sources": "NASA | ftp://nasa.gov/x"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at least 3" in field_error(html, "title")
    assert "at least 10" in field_error(html, "summary")
    assert "http or https" in field_error(html, "sources")
    assert 'value="x"' in html  # what the curator typed is kept


def test_claim_without_rating_gets_the_models_rule(desk: Console) -> None:
    desk.get("/console/notes/new")

    response = desk.post("/console/notes/new", {**CLAIM_FORM, "rating": ""})

    assert response.status_code == 422
    assert "a claim note needs a rating" in response.get_data(as_text=True)


def test_created_note_is_listed_searchable_and_matches_once_published(
    desk: Console, client: FlaskClient
) -> None:
    edit_url = create(desk)
    page = desk.get(edit_url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None

    published = desk.post(edit_url + "/status", {"action": "publish", "version": version.group(1)})
    listed = desk.get("/console/notes?q=nevada&status=published").get_data(as_text=True)
    text = "They said the moon landings were filmed in a studio in the Nevada desert by Kubrick."
    match = client.post(
        "/v1/match",
        json={"url": "https://example.org/a", "passages": [{"id": "p0", "text": text}]},
    )

    assert published.status_code == 303
    assert "The moon landing was staged" in listed
    assert [c["note_id"] for c in match.get_json()["cards"]] == ["the-moon-landing-was-staged"]


def test_notes_list_pages_with_a_keyset_cursor(desk: Console) -> None:
    first = desk.get("/console/notes?status=published").get_data(as_text=True)

    ids = re.findall(r'<span class="muted">([a-z0-9-]+)</span>', first)
    after = desk.get(f"/console/notes?after={ids[5]}").get_data(as_text=True)

    assert ids == sorted(ids)
    assert re.findall(r'<span class="muted">([a-z0-9-]+)</span>', after)[0] == ids[6]


def test_preview_shows_the_readers_card_without_saving(desk: Console) -> None:
    desk.get("/console/notes/new")

    response = desk.post("/console/notes/new", {**CLAIM_FORM, "action": "preview"})

    html = response.get_data(as_text=True)
    assert 'data-preview="kind">Disputed claim<' in html
    assert re.search(r'data-preview="rating"\s*>False<', html)
    assert 'href="https://www.nasa.gov/mission/apollo-11/"' in html
    assert "No notes match" in desk.get("/console/notes?q=nevada").get_data(as_text=True)


def test_try_it_shows_anchors_with_tier_and_score(desk: Console) -> None:
    desk.get("/console/notes/new")
    text = (
        "Intro paragraph.\n\nSome say the moon landings were filmed in a studio in the Nevada "
        "desert by Kubrick himself.\n\nOthers: the moon landing were filmed inside a studio in "
        "the Nevada desert by Stanley Kubrick."
    )

    response = desk.post("/console/notes/new", {**CLAIM_FORM, "action": "try", "page_text": text})

    rows = re.findall(
        r'<tr class="tier-(\w+)">.*?<td>([\d.]+)</td>', response.get_data(as_text=True)
    )
    assert response.status_code == 200
    assert rows[0] == ("exact", "100.0")
    assert rows[1][0] == "fuzzy"
    assert 85 <= float(rows[1][1]) < 100


def test_try_it_finds_a_publisher_by_address_and_by_name(desk: Console) -> None:
    desk.get("/console/notes/new")
    publisher = {
        **CLAIM_FORM,
        "kind": "publisher",
        "title": "Example News",
        "rating": "",
        "quotes": "",
        "domains": "example-news.com",
        "aliases": "Example News Network",
    }
    text = "A report first carried by the Example News Network last week."

    response = desk.post(
        "/console/notes/new",
        {
            **publisher,
            "action": "try",
            "page_text": text,
            "page_url": "https://m.example-news.com/a",
        },
    )

    html = response.get_data(as_text=True)
    assert '<tr class="tier-host">' in html
    assert '<tr class="tier-name">' in html
    assert "Example News Network</td>" in html


def test_url_fetch_is_off_by_default(desk: Console) -> None:
    desk.get("/console/notes/new")

    response = desk.post(
        "/console/notes/new", {**CLAIM_FORM, "action": "try", "page_url": "http://127.0.0.1:9/x"}
    )

    assert response.status_code == 422
    assert "fetching is turned off" in response.get_data(as_text=True)


def test_stale_edit_shows_both_versions_and_saves_the_merge(desk: Console, app: Flask) -> None:
    edit_url = create(desk)
    desk.get(edit_url)
    other = Console(app.test_client())
    other.sign_in(make_token(app, "curator", "Other Desk"))
    other.get(edit_url)
    theirs = "Theirs: NASA's Apollo landings are documented by independent tracking."
    assert (
        other.post(edit_url, {**CLAIM_FORM, "version": "1", "summary": theirs}).status_code == 303
    )
    mine = "Mine: the landings are documented by tracking stations and lunar samples."

    conflict = desk.post(edit_url, {**CLAIM_FORM, "version": "1", "summary": mine})
    html = unescape(conflict.get_data(as_text=True))
    merged = desk.post(edit_url, {**CLAIM_FORM, "version": "2", "summary": f"{mine} {theirs}"})
    history = desk.get(edit_url + "/history").get_data(as_text=True)

    assert conflict.status_code == 409
    assert mine in html
    assert theirs in html
    assert "<del>" in html
    assert "<ins>" in html
    assert merged.status_code == 303
    assert "Other Desk" in history
    assert "Casey Curator" in history


def test_history_diffs_two_revisions_word_by_word_and_restores(desk: Console) -> None:
    edit_url = create(desk)
    desk.get(edit_url)
    desk.post(
        edit_url, {**CLAIM_FORM, "version": "1", "summary": CLAIM_FORM["summary"] + " Extra words."}
    )

    diff = desk.get(edit_url + "/history?a=1&b=2").get_data(as_text=True)
    restored = desk.post(edit_url + "/history/1/restore", {"version": "2"})
    stale = desk.post(edit_url + "/history/1/restore", {"version": "2"})
    page = desk.get(edit_url).get_data(as_text=True)

    assert "<ins> Extra words.</ins>" in diff
    assert restored.status_code == 303
    assert stale.status_code == 303
    assert "stale=1" in stale.headers["Location"]
    assert "Extra words" not in page
    assert "version 3" in page


@pytest.mark.parametrize(
    "hostile",
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)"],
)
def test_hostile_input_in_every_field_renders_inert(desk: Console, hostile: str) -> None:
    desk.get("/console/notes/new")
    form = {name: f"{hostile} padding words to pass the length rules" for name in CLAIM_FORM}

    response = desk.post("/console/notes/new", {**form, "action": "preview", "page_text": hostile})

    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html or "&#34;&gt;&lt;img" in html or "javascript:alert" in html


def test_draft_link_from_the_extension_prefills_the_form_after_sign_in(app: Flask) -> None:
    console = Console(app.test_client())
    draft = (
        "/console/notes/new?quote=the+selected+quote+text&source=https%3A%2F%2Fwww.example-news"
        ".com%2Fa%2Fstory&domain=example-news.com"
    )
    console.get(draft)
    console.get("/console/sign-in?next=" + draft.replace("?", "%3F").replace("&", "%26"))

    signed = console.post(
        "/console/sign-in", {"token": make_token(app, "curator", "Casey"), "next": draft}
    )
    html = console.get(signed.headers["Location"]).get_data(as_text=True)

    assert signed.headers["Location"] == draft
    assert ">the selected quote text</textarea>" in html
    assert ">example-news.com | https://www.example-news.com/a/story</textarea>" in html


def test_sign_in_never_sends_anyone_to_another_site(app: Flask) -> None:
    console = Console(app.test_client())
    console.get("/console/sign-in")

    signed = console.post(
        "/console/sign-in", {"token": make_token(app, "curator"), "next": "//evil.example/x"}
    )

    assert signed.headers["Location"] == "/console/notes"


def test_an_edit_records_only_the_fields_it_changed(desk: Console) -> None:
    edit_url = create(desk)
    desk.get(edit_url)

    desk.post(edit_url, {**CLAIM_FORM, "version": "1", "title": "The moon landing was faked"})

    assert "edited title<" in desk.get(edit_url + "/history").get_data(as_text=True)


def test_a_console_edit_keeps_what_the_form_does_not_show(
    desk: Console, client: FlaskClient, app: Flask
) -> None:
    headers = {"Authorization": f"Bearer {make_token(app, 'curator')}"}
    rating = {"set": "Example ratings", "value": 0.4, "worst": 0.0, "best": 1.0}
    edit_url = create(desk)
    note_url = "/v1/notes/" + edit_url.rsplit("/", 1)[1]
    client.patch(
        note_url,
        json={"ratings": [rating], "reworded": False},
        headers={**headers, "If-Match": '"v1"', "Content-Type": "application/merge-patch+json"},
    )

    desk.get(edit_url)
    desk.post(edit_url, {**CLAIM_FORM, "version": "2", "title": "Renamed"})
    note = client.get(note_url, headers=headers).get_json()

    assert note["title"] == "Renamed"
    assert [{k: r[k] for k in rating} for r in note["ratings"]] == [rating]
    assert note["reworded"] is False


def test_dataset_filter_tells_curated_notes_from_imported_ones(desk: Console, app: Flask) -> None:
    from sqlalchemy import update

    from server.store.models import Note

    with app.extensions["gloss.database"].transaction() as session:
        session.execute(
            update(Note).where(Note.kind == "publisher").values(import_source="wikipedia-rsp")
        )

    imported = desk.get("/console/notes?dataset=wikipedia-rsp").get_data(as_text=True)
    curated = desk.get("/console/notes?dataset=curated&kind=publisher").get_data(as_text=True)
    unknown = desk.get("/console/notes?dataset=elsewhere")

    assert re.findall(r'<span class="muted">([a-z0-9-]+)</span>', imported) == [
        "global-research",
        "south-front",
    ]
    assert '<option value="wikipedia-rsp" selected>' in imported
    assert "No notes match." in curated
    assert unknown.status_code == 422
    assert "Unknown dataset" in unknown.get_data(as_text=True)
