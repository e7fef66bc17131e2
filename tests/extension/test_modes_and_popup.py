"""Modes decide when anything is sent; a denied site sends nothing; the popup and options work."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Route, expect

from .conftest import Extension, Shadow
from .pages import KHALIMOV


def tab_id_of(ext: Extension, url: str) -> int:
    tabs = ext.wait_until(
        lambda: ext.evaluate("(url) => chrome.tabs.query({url})", url), what=f"a tab at {url}"
    )
    return int(tabs[0]["id"])


def test_nothing_is_sent_from_a_denied_site_even_when_asked(
    ext: Extension, page: Page, site: str
) -> None:
    ext.configure(mode="all", deny=["localhost"])
    allowed = f"http://127.0.0.1:{site}/article.html"
    denied = f"http://localhost:{site}/article.html"

    page.goto(denied)
    popup = ext.context.new_page()
    popup.goto(f"chrome-extension://{ext.ext_id}/popup/popup.html?tab={tab_id_of(ext, denied)}")
    status = popup.locator("#status")
    status.wait_for()
    refused = popup.evaluate(
        "(tabId) => chrome.runtime.sendMessage({type: 'check-tab', tabId, force: true})",
        tab_id_of(ext, denied),
    )
    page.wait_for_timeout(1500)
    denied_requests = list(ext.match_bodies)
    ui_on_denied_page = page.evaluate("document.querySelector('gloss-context') !== null")
    page.goto(allowed)
    ext.tab_state(allowed)

    assert denied_requests == []
    assert "deny list" in status.inner_text()
    assert popup.locator("#check").is_disabled()
    assert refused["ok"] is False
    assert refused["error"] == "denied"
    assert ui_on_denied_page is False
    assert [body["url"] for body in ext.match_bodies] == [allowed]  # the recording works


def test_click_mode_sends_nothing_until_the_popup_is_opened(
    ext: Extension, page: Page, site: str
) -> None:
    ext.configure(mode="click")
    url = f"http://127.0.0.1:{site}/article.html"

    page.goto(url)
    page.wait_for_timeout(1500)
    before = len(ext.match_bodies)
    popup = ext.context.new_page()
    popup.goto(f"chrome-extension://{ext.ext_id}/popup/popup.html?tab={tab_id_of(ext, url)}")
    _, state = ext.tab_state(url)
    popup.locator("#found-list li").first.wait_for()

    assert before == 0
    assert len(ext.match_bodies) == 1
    titles = popup.locator("#found-list .title").all_inner_texts()
    assert titles == [card["title"] for card in state["cards"]]
    assert popup.locator("#orphans").is_hidden()
    badge = ext.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id_of(ext, url))
    assert badge == str(len(state["cards"]))


def test_popup_lists_cards_the_page_cannot_place_and_reveals_the_others(
    ext: Extension, page: Page, site: str
) -> None:
    server = ext.server_url

    def add_orphan(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body["cards"].append(
            {
                "note_id": "not-on-this-page",
                "kind": "claim",
                "title": "A claim the page no longer shows",
                "summary": "Matched by the server, but its passage is gone.",
                "rating": "false",
                "sources": [{"title": "Source", "url": "https://example.org/source"}],
                "anchors": [
                    {
                        "passage_id": "p9999",
                        "start": 0,
                        "end": 20,
                        "exact": "text that is not here",
                        "score": 90,
                    }
                ],
            }
        )
        route.fulfill(response=response, body=json.dumps(body))

    ext.context.route(f"{server}/v1/match", add_orphan)
    try:
        url = f"http://127.0.0.1:{site}/hostile.html"
        page.goto(url)
        tab_id, state = ext.tab_state(url)
    finally:
        ext.context.unroute(f"{server}/v1/match", add_orphan)
    popup = ext.context.new_page()
    popup.goto(f"chrome-extension://{ext.ext_id}/popup/popup.html?tab={tab_id}")
    popup.locator("#orphan-list li").first.wait_for()

    orphans = popup.locator("#orphan-list .title").all_inner_texts()
    found = popup.locator("#found-list .title").all_inner_texts()
    popup.locator("#found-list li[data-note-id=khalimov-us-trained] button.show").click()
    shadow = Shadow(page)
    opened = ext.wait_until(
        lambda: shadow.call("(root) => root.querySelector('[role=dialog]')?.dataset.noteId"),
        what="the revealed card",
    )

    assert state["orphans"] == ["not-on-this-page"]
    assert orphans == ["A claim the page no longer shows"]
    assert "A claim the page no longer shows" not in found
    assert len(found) == 2
    assert opened == "khalimov-us-trained"
    assert page.evaluate("scrollY") >= 0
    assert KHALIMOV in page.evaluate("document.body.innerText")


def test_unreachable_server_shows_a_distinct_badge(ext: Extension, page: Page, site: str) -> None:
    ext.configure(mode="all", serverUrl="http://127.0.0.1:9")
    url = f"http://127.0.0.1:{site}/hostile.html"

    page.goto(url)
    tab_id, state = ext.tab_state(url)

    assert state["status"] == "error"
    assert ext.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id) == "!"
    color = ext.evaluate("(tabId) => chrome.action.getBadgeBackgroundColor({tabId})", tab_id)
    assert color[:3] == [217, 72, 15]


def test_options_page_checks_the_server_and_saves_the_lists(ext: Extension) -> None:
    options = ext.context.new_page()
    options.goto(f"chrome-extension://{ext.ext_id}/options/options.html")
    expect(options.locator("#server-url")).to_have_value(ext.server_url)

    options.click("#check-server")
    expect(options.locator("#server-status")).to_contain_text("Connected")
    health = options.locator("#server-status").inner_text()
    options.fill("#deny", "https://Mail.Example.com/inbox\n\nbank.example")
    options.check("input[name=mode][value=click]")
    options.click("#save")
    expect(options.locator("#save-status")).to_have_text("Saved.")
    saved = ext.evaluate("chrome.storage.local.get('settings')")["settings"]

    assert "notes" in health
    assert "match" in health
    assert saved["deny"] == ["bank.example", "mail.example.com"]
    assert saved["mode"] == "click"
    assert saved["serverUrl"] == ext.server_url
