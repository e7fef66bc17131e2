"""``GET /metrics``: Prometheus text with the matching path's figures, and nothing of the page."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient

from server import metrics
from tests.conftest import NOTES_DIR


def _value(text: str, name: str, labels: str = "") -> float:
    found = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


def test_metrics_count_matches_and_hold_no_url_or_page_text(client: FlaskClient) -> None:
    marker = uuid.uuid4().hex
    page = {
        "url": f"https://example.org/{marker}",
        "passages": [{"id": "p0", "text": f"Global Research {marker} " * 60}],
    }
    before = client.get("/metrics").get_data(as_text=True)

    client.post("/v1/match", json=page)
    response = client.get("/metrics")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    count = 'gloss_match_seconds_count{outcome="complete"}'
    assert _value(text, count) == _value(before, count) + 1
    capped = "gloss_match_capped_total"
    assert _value(text, capped) == _value(before, capped) + 1
    assert "gloss_word_cache_bytes" in text
    assert marker not in text


def test_the_registration_api_makes_each_metric_once() -> None:
    first = metrics.gauge("test_index_generation", "A gauge made twice.")

    again = metrics.gauge("test_index_generation", "A gauge made twice.")

    assert first is again


def test_metrics_show_the_index_generation_and_size_after_a_match(client: FlaskClient) -> None:
    page = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": "Nothing here."}]}
    notes = len(list((NOTES_DIR).glob("*.yaml")))

    client.post("/v1/match", json=page)
    text = client.get("/metrics").get_data(as_text=True)

    assert _value(text, "gloss_index_generation") >= 1
    assert _value(text, "gloss_index_published_notes") == notes
