"""``POST /v1/import?source=…`` and what imported notes look like on cards and in exports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server.importers import ImportFailed, run_source
from server.store import imports as import_store
from tests.importers.conftest import CLAIMS, RATINGS_CSV, feed, rsp_jsonl, rsp_page

HARBOR = "rsp-harbor-ledger-685109"


def send(client: FlaskClient, headers: dict[str, str], source: str, body: str, **query: str) -> Any:
    kind = {"domain-ratings": "text/csv", "claimreview-feed": "application/json"}
    return client.post(
        "/v1/import",
        query_string={"source": source, **query},
        data=body.encode(),
        headers=headers | {"Content-Type": kind.get(source, "text/plain")},
    )


def match(client: FlaskClient, url: str, *texts: str) -> list[dict[str, Any]]:
    passages = [{"id": f"p{i}", "text": t} for i, t in enumerate(texts or ["Nothing here."])]
    response = client.post("/v1/match", json={"url": url, "passages": passages})
    assert response.status_code == 200, response.json
    cards: list[dict[str, Any]] = response.json["cards"]  # type: ignore[index]
    return cards


def test_page_wikitext_import_reports_counts_and_refusals(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    response = send(client, curator, "wikipedia-rsp", rsp_page())

    assert response.status_code == 200, response.json
    report = response.json
    assert report["counts"] == {
        "created": 3, "updated": 0, "unchanged": 0, "retired": 0, "conflicts": 0, "refused": 1,
    }  # fmt: skip
    assert report["refused"] == [
        {"entry_id": "Old almanacs", "reason": "no domain: the row lists no web site"}
    ]


def test_curator_edit_survives_reimport_as_a_conflict(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    send(client, curator, "wikipedia-rsp", rsp_jsonl())
    edited = client.patch(
        f"/v1/notes/{HARBOR}",
        json={"summary": "Our desk's own wording about the Harbor Ledger."},
        headers=curator | {"If-Match": '"v1"', "Content-Type": "application/merge-patch+json"},
    )
    changed = rsp_jsonl().replace("generally reliable for maritime", "reliable for port")

    report = send(client, curator, "wikipedia-rsp", changed).json

    assert edited.status_code == 200, edited.json
    assert report["counts"]["conflicts"] == 1
    assert report["conflicts"] == [HARBOR]
    note = client.get(f"/v1/notes/{HARBOR}", headers=curator).json
    assert note["summary"] == "Our desk's own wording about the Harbor Ledger."
    assert note["version"] == 2


def test_outlet_with_topic_rows_and_a_rating_gets_one_card_with_attribution(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    send(client, curator, "domain-ratings", "domain,pc1\nquillweekly.net,0.2\n")
    send(client, curator, "wikipedia-rsp", rsp_jsonl())

    cards = match(client, "https://www.quillweekly.net/2025/story")

    assert len(cards) == 1
    card = cards[0]
    assert card["title"] == "Quill Weekly"
    assert [(v["topic"], v["status"]) for v in card["reliability"]] == [
        ("gardening", "no-consensus"),
        ("politics", "generally-unreliable"),
    ]
    assert card["ratings"][0]["set"] == "Lin et al. 2023"
    assert card["ratings"][0]["value"] == 0.2
    credit = card["provenance"][0]
    assert credit["licence"] == "CC BY-SA 4.0"
    assert "Wikipedia contributors" in credit["attribution"]
    assert credit["attribution_url"].endswith("#Quill_Weekly_%28gardening%29")


def test_rating_of_an_unknown_domain_makes_a_minimal_card(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    send(client, curator, "wikipedia-rsp", rsp_jsonl())

    report = send(client, curator, "domain-ratings", RATINGS_CSV).json
    harbor = match(client, "https://harborledger.com/a")
    quiet = match(client, "https://quietcoast-news.com/b")

    assert report["counts"]["created"] == 1
    assert report["counts"]["updated"] == 1
    assert report["refusal_reasons"] == {"not a domain name": 1}
    assert len(harbor) == 1
    assert harbor[0]["reliability"][0]["status"] == "generally-reliable"
    assert harbor[0]["ratings"][0]["value"] == 0.91
    assert quiet[0]["title"] == "quietcoast-news.com"
    assert "Lin et al. 2023: 0.12" in quiet[0]["summary"]
    assert quiet[0]["provenance"][0]["dataset"] == "domain-ratings: Lin et al. 2023"


def test_feed_claim_matches_a_page_quoting_it_and_keeps_the_original_rating(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    report = send(client, curator, "claimreview-feed", json.dumps(feed())).json
    quote = CLAIMS[1][0]

    cards = match(client, "https://blog.example.net/x", f"A post said that {quote.lower()}.")

    assert report["counts"]["created"] == 3
    claim = next(c for c in cards if c["kind"] == "claim")
    assert claim["rating"] == "misleading"
    assert claim["ratings"][0]["label"] == "Mostly false"
    assert claim["ratings"][0]["value"] == 2
    assert claim["provenance"][0]["licence"] == "https://creativecommons.org/licenses/by-nd/4.0/"
    assert claim["provenance"][0]["attribution"] == "Fact check by Harbor Fact Desk"


def test_export_keeps_provenance_and_ratings(client: FlaskClient, curator: dict[str, str]) -> None:
    send(client, curator, "wikipedia-rsp", rsp_jsonl())
    send(client, curator, "domain-ratings", RATINGS_CSV)

    bundle = json.loads(client.get("/v1/export?format=bundle").get_data(as_text=True))

    harbor = next(n for n in bundle["notes"] if n["id"] == HARBOR)
    assert harbor["provenance"]["dataset"] == "wikipedia-rsp"
    assert harbor["reliability"]["last_discussed"] == 2023
    assert harbor["ratings"][0]["domain"] == "harborledger.com"


def test_dry_run_over_http_writes_nothing(client: FlaskClient, curator: dict[str, str]) -> None:
    report = send(client, curator, "wikipedia-rsp", rsp_jsonl(), dry_run="true").json

    assert report["dry_run"] is True
    assert report["counts"]["created"] == 3
    assert client.get(f"/v1/notes/{HARBOR}", headers=curator).status_code == 404


@pytest.mark.parametrize(
    ("source", "body", "content_type", "status"),
    [
        ("claimreview-feed", '{"dataFeedElement": [', "application/json", 422),
        ("wikipedia-rsp", "x", "image/png", 415),
        ("claimreview-feed", '"a string"', "application/json", 422),
        ("wikipedia-rsp", "\udcff", "text/plain", 422),
    ],
)
def test_bad_files_get_problem_json(
    client: FlaskClient,
    curator: dict[str, str],
    source: str,
    body: str,
    content_type: str,
    status: int,
) -> None:
    response = client.post(
        f"/v1/import?source={source}",
        data=body.encode("utf-8", "surrogateescape"),
        headers=curator | {"Content-Type": content_type},
    )

    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_import_needs_a_curator(client: FlaskClient) -> None:
    response = client.post("/v1/import?source=wikipedia-rsp", data=b"x")

    assert response.status_code == 401


def test_failed_batch_rolls_back_alone_and_a_rerun_resumes(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = app.extensions["gloss.database"]
    body = json.dumps(feed()).encode()
    real_insert = import_store.insert
    calls = {"n": 0}

    def failing_insert(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(import_store, "insert", failing_insert)
    with pytest.raises(ImportFailed) as failed:
        run_source(database, "claimreview-feed", _stream(body), batch_size=2)
    monkeypatch.setattr(import_store, "insert", real_insert)
    resumed = run_source(database, "claimreview-feed", _stream(body), batch_size=2)

    assert failed.value.report.batches == 1
    assert failed.value.report.created == 2
    assert (resumed.created, resumed.unchanged, resumed.retired) == (1, 2, 0)


def _stream(body: bytes) -> Any:
    import io

    return io.BytesIO(body)


def test_curated_note_and_imported_row_on_one_host_make_one_card(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    created = client.post(
        "/v1/notes",
        json={
            "kind": "publisher",
            "title": "The Ledger (our desk's note)",
            "summary": "A port-city daily owned by a shipping family since 1952.",
            "domains": ["harborledger.com"],
            "status": "published",
        },
        headers=curator,
    )
    send(client, curator, "wikipedia-rsp", rsp_jsonl())

    cards = match(client, "https://harborledger.com/news/1")

    assert created.status_code == 201, created.json
    assert len(cards) == 1
    assert cards[0]["title"] == "The Ledger (our desk's note)"
    assert [v["note_id"] for v in cards[0]["reliability"]] == [HARBOR]
    assert cards[0]["provenance"][0]["dataset"] == "wikipedia-rsp"
