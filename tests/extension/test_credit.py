"""Imported data on cards: the attribution its licence asks for is on screen, with the status."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route

from .conftest import ARTIFACTS, Extension, Shadow
from .pages import article_html

PAGE_URL = "https://www.quillweekly.net/2025/a-story"
ENTRY = "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources#Quill_Weekly"
# A publisher card in the shape POST /v1/match returns for imported perennial-sources rows.
CARD = {
    "note_id": "rsp-quill-weekly-politics-e987d7",
    "kind": "publisher",
    "title": "Quill Weekly",
    "summary": "There is consensus that Quill Weekly is generally unreliable for politics.",
    "rating": None,
    "sources": [{"title": "Wikipedia: Perennial sources — Quill Weekly", "url": ENTRY}],
    "anchors": [],
    "provenance": [
        {
            "dataset": "wikipedia-rsp",
            "entry_id": "Quill Weekly (politics)",
            "licence": "CC BY-SA 4.0",
            "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
            "attribution": "From Wikipedia's list, by Wikipedia contributors, CC BY-SA 4.0.",
            "attribution_url": ENTRY,
            "imported_at": "2026-12-03T12:00:00Z",
        }
    ],
    "reliability": [
        {
            "status": "generally-unreliable",
            "label": "Generally unreliable",
            "source": "Wikipedia: Reliable sources/Perennial sources",
            "outlet": "Quill Weekly",
            "topic": "politics",
            "last_discussed": 2024,
            "note_id": "rsp-quill-weekly-politics-e987d7",
            "summary": "There is consensus that Quill Weekly is generally unreliable.",
        }
    ],
    "ratings": [{"set": "Lin et al. 2023", "value": 0.2, "scale": "0 to 1, higher is better"}],
}

CREDIT = """(root) => {
  const card = root.querySelector('.banner-card');
  const credit = card?.querySelector('.attribution');
  if (!credit) return null;
  const rect = credit.getBoundingClientRect();
  const style = getComputedStyle(credit);
  return {
    text: credit.textContent,
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
    links: [...credit.querySelectorAll('a')].map(a => a.getAttribute('href')),
    statuses: [...card.querySelectorAll('.status')].map(e => e.textContent),
    ratings: [...card.querySelectorAll('.ratings li')].map(e => e.textContent),
  };
}"""


def test_publisher_card_shows_the_attribution_status_and_rating(ext: Extension, page: Page) -> None:
    server = ext.server_url

    def add_card(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["cards"].insert(0, CARD)
        route.fulfill(response=response, body=json.dumps(body))

    ext.context.route(f"{server}/v1/match", add_card)
    ext.context.route(
        "https://www.quillweekly.net/**",
        lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=article_html()),
    )
    try:
        page.goto(PAGE_URL)
        ext.tab_state(PAGE_URL)
        shadow = Shadow(page)
        shadow.call("(root) => root.querySelector('.banner-toggle').click()")
        credit = ext.wait_until(lambda: shadow.call(CREDIT), what="the attribution")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "credit-banner.png"))
    finally:
        ext.context.unroute(f"{server}/v1/match", add_card)
        ext.context.unroute("https://www.quillweekly.net/**")

    assert credit["visible"]
    assert "by Wikipedia contributors, CC BY-SA 4.0" in credit["text"]
    assert credit["links"] == [ENTRY, "https://creativecommons.org/licenses/by-sa/4.0/"]
    assert credit["statuses"] == ["Generally unreliable (politics)"]
    assert credit["ratings"] == ["Lin et al. 2023: 0.2 (0 to 1, higher is better)"]
