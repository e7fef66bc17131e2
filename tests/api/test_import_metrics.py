"""Import progress in ``GET /metrics``: items planned and done while an import runs, batches
committed, and items by outcome (refusals included), with no note id or source in a label."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from server.services.import_progress import ImportProgress
from tests.api.test_interchange import CLAIM_REVIEW, do_import
from tests.importers.conftest import rsp_page


def _value(text: str, name: str, labels: str = "") -> float:
    found = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


def _metrics(client: FlaskClient) -> str:
    return client.get("/metrics").get_data(as_text=True)


def test_a_running_import_shows_its_items_done_of_planned(client: FlaskClient) -> None:
    before = _metrics(client)
    progress = ImportProgress(40)
    progress.done = 15

    running = _metrics(client)
    progress.finish()
    after = _metrics(client)

    planned, done = "gloss_import_items_planned", "gloss_import_items_done"
    assert _value(running, planned) - _value(before, planned) == 40
    assert _value(running, done) - _value(before, done) == 15
    assert (_value(after, planned), _value(after, done)) == (
        _value(before, planned),
        _value(before, done),
    )


def test_a_document_import_counts_its_batches_and_items(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    other = CLAIM_REVIEW | {"url": "https://factcheck.example.org/other"}
    before = _metrics(client)

    response = do_import(client, curator, [CLAIM_REVIEW, other])
    after = _metrics(client)

    assert response.status_code == 200
    created = '{kind="document",outcome="created"}'
    assert (
        _value(after, "gloss_import_items_total", created)
        - _value(before, "gloss_import_items_total", created)
        == 2
    )
    batches = "gloss_import_batches_total"
    assert _value(after, batches, '{kind="document"}') > _value(
        before, batches, '{kind="document"}'
    )
    assert _value(after, "gloss_import_items_planned") == _value(
        before, "gloss_import_items_planned"
    )
    assert "factcheck.example.org" not in after


def test_refused_items_are_counted_in_dry_runs_and_source_imports(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    bad = CLAIM_REVIEW | {"url": "javascript:alert(1)", "claimReviewed": "Too short"}
    before = _metrics(client)

    dry = do_import(client, curator, [CLAIM_REVIEW, bad], dry=True)
    source = client.post(
        "/v1/import?source=wikipedia-rsp",
        data=rsp_page().encode(),
        headers=curator | {"Content-Type": "text/plain"},
    )
    after = _metrics(client)

    assert (dry.status_code, source.status_code) == (422, 200)
    name = "gloss_import_items_total"
    for kind, refused in (("document", 1), ("source", 1)):
        labels = f'{{kind="{kind}",outcome="refused"}}'
        assert _value(after, name, labels) - _value(before, name, labels) == refused
    created = '{kind="source",outcome="created"}'
    assert _value(after, name, created) - _value(before, name, created) == 3
    assert "Old almanacs" not in after
