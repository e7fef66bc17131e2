"""Cards open on click, hover and keyboard, name the right note, and render server text inertly."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Page, Route

from .conftest import ARTIFACTS, Extension, Shadow, highlight_box
from .pages import HOSTILE_QUOTE, KHALIMOV, article_html

OPEN_CARD = """(root) => {
  const card = root.querySelector('[role=dialog]');
  if (!card) return null;
  return {
    noteId: card.dataset.noteId,
    title: card.querySelector('.title').textContent,
    kind: card.querySelector('.kind').textContent,
    rating: card.querySelector('.rating')?.textContent ?? null,
    summary: card.querySelector('.summary').textContent,
    labelledBy: card.getAttribute('aria-labelledby') === card.querySelector('.title').id,
    inert: card.inert,
    links: [...card.querySelectorAll('a')].map(a => ({
      text: a.textContent, href: a.getAttribute('href'), target: a.target, rel: a.rel})),
    elements: [...card.querySelectorAll('*')].map(e => e.localName),
    feedback: card.querySelector('.feedback') !== null,
  };
}"""


def open_card(ext: Extension, shadow: Shadow) -> dict[str, Any]:
    return dict(ext.wait_until(lambda: shadow.call(OPEN_CARD), what="a card to open"))


def click_highlight(page: Page, starts_with: str) -> None:
    box = highlight_box(page, starts_with)
    page.evaluate("(dy) => window.scrollBy({top: dy, behavior: 'instant'})", box["y"] - 260)
    box = highlight_box(page, starts_with)
    page.mouse.click(box["x"] + min(40, box["width"] / 2), box["y"] + box["height"] / 2)


def test_clicking_a_highlight_opens_its_card_with_title_and_sources(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    _, state = ext.tab_state(url)
    note = next(c for c in state["cards"] if c["note_id"] == "khalimov-us-trained")
    shadow = Shadow(page)

    click_highlight(page, KHALIMOV[:30])
    card = open_card(ext, shadow)

    assert card["noteId"] == "khalimov-us-trained"
    assert card["title"] == note["title"]
    assert card["kind"] == "Checked claim"  # a claim rated accurate is not called disputed
    assert card["rating"] == "Accurate"
    assert card["summary"] == note["summary"]
    assert card["labelledBy"]
    assert not card["inert"]
    assert [link["href"] for link in card["links"]] == [s["url"] for s in note["sources"]]
    assert all(link["target"] == "_blank" for link in card["links"])
    assert all(link["rel"] == "noopener noreferrer" for link in card["links"])
    assert card["feedback"] is True  # the server lists "feedback" in its features
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let the card's fade-in finish
    page.screenshot(path=str(ARTIFACTS / "extension-card.png"))

    page.mouse.click(5, 880)
    ext.wait_until(lambda: shadow.call(OPEN_CARD) is None, what="the card to close")


def test_hovering_a_highlight_shows_its_card_and_leaving_hides_it(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    shadow = Shadow(page)
    box = highlight_box(page, "In 2014 37 civilians")

    page.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
    card = open_card(ext, shadow)
    page.mouse.move(5, 880)

    assert card["noteId"] == "xinjiang-2014-37-civilians"
    ext.wait_until(lambda: shadow.call(OPEN_CARD) is None, what="the hover card to close")


def test_keyboard_tab_reaches_a_highlight_enter_opens_escape_closes(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    shadow = Shadow(page)
    stops = Shadow(page, "gloss-stops")
    focused = """(root) => {
      const el = root.activeElement;
      if (!el) return null;
      return {cls: el.className, note: el.dataset.noteId ?? null, role: el.getAttribute('role')};
    }"""

    for _ in range(120):
        page.keyboard.press("Tab")
        now = stops.call(focused)
        if now and now["note"] == "khalimov-us-trained" and now["cls"] == "trigger":
            break
    else:
        raise AssertionError("Tab never reached the Khalimov highlight")
    preview = open_card(ext, shadow)
    page.keyboard.press("Enter")
    in_card = shadow.call(focused)
    page.keyboard.press("Tab")
    next_stop = shadow.call(focused)
    page.keyboard.press("Escape")
    after = stops.call(focused)

    assert preview["noteId"] == "khalimov-us-trained"
    assert preview["inert"] is True
    assert in_card == {"cls": "card kind-claim", "note": "khalimov-us-trained", "role": "dialog"}
    assert next_stop is not None
    assert next_stop["cls"] == "close"
    assert shadow.call(OPEN_CARD) is None
    assert after == {"cls": "trigger", "note": "khalimov-us-trained", "role": None}


def test_banner_names_the_publishers_mentioned_on_the_page(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    shadow = Shadow(page)

    names = shadow.text(".banner-names") or ""
    shadow.call("(root) => root.querySelector('.banner .close').click()")

    assert "Global Research" in names
    assert "South Front" in names
    assert shadow.call("(root) => root.querySelector('.banner')") is None


def test_publisher_matched_by_host_is_shown_in_the_banner(ext: Extension, page: Page) -> None:
    url = "https://www.globalresearch.ca/advance-of-the-islamic-state-isis/5456166"
    ext.context.route(
        "https://www.globalresearch.ca/**",
        lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=article_html()),
    )
    try:
        page.goto(url)
        _, state = ext.tab_state(url)
        shadow = Shadow(page)
        shadow.call("(root) => root.querySelector('.banner-toggle').click()")
        details = shadow.call(
            "(root) => [...root.querySelectorAll('.banner-card')].map(c => c.dataset.noteId)"
        )
    finally:
        ext.context.unroute("https://www.globalresearch.ca/**")

    assert ext.match_bodies[0]["url"] == url
    by_host = [c for c in state["cards"] if c["kind"] == "publisher" and not c["anchors"]]
    assert [c["note_id"] for c in by_host] == ["global-research"]
    assert set(details) == {"global-research", "south-front"}
    assert "global-research" in state["anchored"]


def test_hostile_note_text_is_rendered_as_inert_text(ext: Extension, page: Page, site: str) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    page.goto(url)
    _, state = ext.tab_state(url)
    note = next(c for c in state["cards"] if c["note_id"] == "hostile-test-note")
    shadow = Shadow(page)

    click_highlight(page, HOSTILE_QUOTE[:30])
    card = open_card(ext, shadow)
    page.wait_for_timeout(300)

    assert card["title"] == note["title"]
    assert "<img" in card["title"]
    assert card["summary"] == note["summary"]
    assert "<script>" in card["summary"]
    assert "img" not in card["elements"]
    assert "script" not in card["elements"]
    assert page.evaluate("window.__glossPwned") is None


def test_non_http_sources_never_become_links(ext: Extension, page: Page, site: str) -> None:
    server = ext.server_url

    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        for card in body["cards"]:
            card["sources"] += [
                {"title": "Run me", "url": "javascript:window.__glossPwned=5"},
                {"title": "Data me", "url": "data:text/html,<script>alert(1)</script>"},
                {"title": "Relative", "url": "/v1/health"},
            ]
        route.fulfill(response=response, body=json.dumps(body))

    ext.context.route(f"{server}/v1/match", inject)
    try:
        url = f"http://127.0.0.1:{site}/hostile.html"
        page.goto(url)
        ext.tab_state(url)
        shadow = Shadow(page)
        click_highlight(page, KHALIMOV[:30])
        card = open_card(ext, shadow)
    finally:
        ext.context.unroute(f"{server}/v1/match", inject)

    assert card["links"], "the card's http(s) sources are still links"
    assert all(link["href"].startswith(("https://", "http://")) for link in card["links"])
    assert not {"Run me", "Data me", "Relative"} & {link["text"] for link in card["links"]}
    assert page.evaluate("window.__glossPwned") is None


def test_feedback_reaches_the_server_with_the_reason_given(
    ext: Extension, page: Page, site: str
) -> None:
    server = ext.server_url
    sent: list[tuple[str, Any]] = []

    def record(route: Route) -> None:
        sent.append((route.request.url, route.request.post_data_json))
        route.continue_()

    ext.context.route(f"{server}/v1/cards/*/feedback", record)
    try:
        url = f"http://127.0.0.1:{site}/article.html"
        page.goto(url)
        ext.tab_state(url)
        shadow = Shadow(page)
        click_highlight(page, KHALIMOV[:30])
        open_card(ext, shadow)
        shadow.call(
            "(root) => root.querySelector('.feedback button[aria-label=\"Not helpful\"]').click()"
        )
        shadow.call(
            """(root) => [...root.querySelectorAll('.feedback button')]
                .find(b => b.textContent === 'Outdated').click()"""
        )
        thanks = ext.wait_until(
            lambda: shadow.text(".feedback .thanks"), what="feedback to be sent"
        )
    finally:
        ext.context.unroute(f"{server}/v1/cards/*/feedback", record)

    assert sent == [
        (
            f"{server}/v1/cards/khalimov-us-trained/feedback",
            {"helpful": False, "reason": "outdated"},
        )
    ]
    assert thanks == "Thanks for the feedback."


def test_no_feedback_buttons_when_the_server_does_not_offer_feedback(
    ext: Extension, page: Page, site: str
) -> None:
    server = ext.server_url

    def without_feedback(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["features"] = [f for f in body["features"] if f != "feedback"]
        route.fulfill(response=response, body=json.dumps(body))

    ext.context.route(f"{server}/v1/health", without_feedback)
    try:
        url = f"http://127.0.0.1:{site}/article.html"
        page.goto(url)
        ext.tab_state(url)
        shadow = Shadow(page)
        click_highlight(page, KHALIMOV[:30])
        card = open_card(ext, shadow)
    finally:
        ext.context.unroute(f"{server}/v1/health", without_feedback)

    assert card["feedback"] is False
