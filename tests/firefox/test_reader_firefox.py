"""The extension's reader flows in Firefox ESR: the part of the Chromium suite Firefox allows."""

from __future__ import annotations

import json
import time
import urllib.request
from collections import Counter
from typing import Any

import pytest

from tests.extension.conftest import ALL_SITES, state_when
from tests.extension.pages import (
    HOSTILE_QUOTE,
    KHALIMOV,
    SECRET_MARKERS,
    XINJIANG,
    XINJIANG_NOTE,
)

from .conftest import FirefoxGloss
from .firefox import EXTENSION_ORIGIN, GECKO_ID


def test_highlights_cover_exactly_the_text_of_every_anchor(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/article.html"

    ff.open(url)
    _, state = ff.tab_state(url)

    anchors = Counter(a["exact"] for card in state["cards"] for a in card["anchors"])
    # The state can say "anchored" a moment before a redraw has put every highlight back.
    ff.wait_until(
        lambda: Counter(h["text"] for h in ff.highlighted()) == anchors,
        what="a highlight for every anchor",
    )
    assert any(KHALIMOV.rstrip(".") in exact for exact in anchors)
    kinds = {h["text"][:40]: h["kind"] for h in ff.highlighted()}
    assert kinds[KHALIMOV[:40]] == "claim"
    assert kinds["South Front"] == "publisher"
    assert state["orphans"] == []
    sent = " ".join(p["text"] for body in ff.proxy.sent() for p in body["passages"])
    assert [m for m in SECRET_MARKERS if m in sent] == []
    assert "Foreign Policy Diary" in sent
    ff.screenshot("firefox-highlights.png")


OPEN_CARD = """(root) => {
  const card = root.querySelector('[role=dialog]');
  if (!card) return null;
  return {
    noteId: card.dataset.noteId,
    title: card.querySelector('.title').textContent,
    kind: card.querySelector('.kind').textContent,
    rating: card.querySelector('.rating')?.textContent ?? null,
    summary: card.querySelector('.summary').textContent,
    links: [...card.querySelectorAll('a')].map(a => ({
      href: a.getAttribute('href'), target: a.target, rel: a.rel})),
    elements: [...card.querySelectorAll('*')].map(e => e.localName),
    width: card.getBoundingClientRect().width,
    height: card.getBoundingClientRect().height,
  };
}"""


def open_card(ff: FirefoxGloss) -> dict[str, Any]:
    return dict(ff.wait_until(lambda: ff.shadow(OPEN_CARD), what="a card to open"))


def test_clicking_a_highlight_opens_its_card_with_title_and_sources(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    ff.tab_state(url)
    with urllib.request.urlopen(f"{ff.server_url}/v1/notes/khalimov-us-trained") as reply:
        note = json.load(reply)  # what the server says the card must show
    ff.wait_until(
        lambda: any(h["text"].startswith(KHALIMOV[:30]) for h in ff.highlighted()),
        timeout=15,
        what="the Khalimov highlight",
    )

    ff.click_highlight(KHALIMOV[:30])
    card = open_card(ff)
    time.sleep(0.3)  # let the card's fade-in finish
    ff.screenshot("firefox-card.png")

    assert card["noteId"] == "khalimov-us-trained"
    assert card["title"] == note["title"]
    assert card["kind"] == "Checked claim"
    assert card["rating"] == "Accurate"
    assert card["summary"] == note["summary"]
    assert card["width"] > 200
    assert card["height"] > 80
    assert [link["href"] for link in card["links"]] == [s["url"] for s in note["sources"]]
    assert all(link["rel"] == "noopener noreferrer" for link in card["links"])

    ff.firefox.click_at(5, 800)
    ff.wait_until(lambda: ff.shadow(OPEN_CARD) is None, what="the card to close")


def test_hovering_a_highlight_shows_its_card_and_leaving_hides_it(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    ff.tab_state(url)
    box = ff.scroll_to_highlight("In 2014 37 civilians")

    ff.firefox.move_to(box["x"] + 30, box["y"] + box["height"] / 2)
    card = open_card(ff)
    ff.firefox.move_to(5, 800)

    assert card["noteId"] == "xinjiang-2014-37-civilians"
    ff.wait_until(lambda: ff.shadow(OPEN_CARD) is None, what="the hover card to close")


def test_banner_names_the_publishers_mentioned_on_the_page(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    ff.tab_state(url)

    names = ff.wait_until(
        lambda: ff.shadow("(root) => root.querySelector('.banner-names')?.textContent"),
        what="the publisher banner",
    )
    ff.screenshot("firefox-banner.png")
    ff.shadow("(root) => root.querySelector('.banner .close').click()")

    assert "Global Research" in names
    assert "South Front" in names
    assert ff.shadow("(root) => root.querySelector('.banner') !== null") is False


def test_hostile_note_text_is_rendered_as_inert_text(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    ff.open(url)
    _, state = ff.tab_state(url)
    note = next(c for c in state["cards"] if c["note_id"] == "hostile-test-note")

    ff.click_highlight(HOSTILE_QUOTE[:30])
    card = open_card(ff)
    time.sleep(0.3)
    ff.screenshot("firefox-hostile-card.png")

    assert card["title"] == note["title"]
    assert "<img" in card["title"]
    assert "<script>" in card["summary"]
    assert "img" not in card["elements"]
    assert "script" not in card["elements"]
    assert ff.firefox.run("return window.wrappedJSObject.__glossPwned ?? null") is None


def test_nothing_is_sent_from_a_denied_site_even_when_asked(ff: FirefoxGloss, site: str) -> None:
    ff.configure(mode="all", deny=["localhost"])
    denied = f"http://localhost:{site}/article.html"
    allowed = f"http://127.0.0.1:{site}/article.html"

    ff.open(denied)
    refused = ff.api(
        "return browser.runtime.sendMessage({type: 'check-tab', tabId: args[0], force: true});",
        ff.tab_id_of(denied),
    )
    time.sleep(1.5)
    denied_requests = ff.proxy.sent()
    ui_on_denied_page = ff.firefox.run("return document.querySelector('gloss-context') !== null")
    ff.open(allowed)
    ff.tab_state(allowed)

    assert denied_requests == []
    assert refused["ok"] is False
    assert refused["error"] == "denied"
    assert ui_on_denied_page is False
    assert [body["url"] for body in ff.proxy.sent()] == [allowed]  # the recording works


def test_unreachable_server_shows_a_distinct_badge(ff: FirefoxGloss, site: str) -> None:
    ff.configure(mode="all", serverUrl="http://127.0.0.1:9")
    url = f"http://127.0.0.1:{site}/hostile.html"

    ff.open(url)
    tab_id, state = ff.tab_state(url)
    badge = ff.badge(tab_id)

    assert state["status"] == "error"
    assert badge["text"] == "!"
    assert badge["color"][:3] == [217, 72, 15]
    assert ff.highlighted() == []


def test_click_mode_checks_only_when_the_toolbar_button_is_pressed(
    ff: FirefoxGloss, site: str
) -> None:
    ff.configure(mode="click")
    url = f"http://127.0.0.1:{site}/article.html"

    ff.open(url)
    time.sleep(1.5)
    before = ff.proxy.sent()
    ff.firefox.press_toolbar_button(GECKO_ID)
    tab_id, state = ff.tab_state(url)
    highlights = ff.wait_until(ff.highlighted, what="highlights after the button press")

    assert before == []
    assert [body["url"] for body in ff.proxy.sent()] == [url]
    assert state["status"] == "done"
    assert len(highlights) >= len(state["anchored"])
    assert ff.badge(tab_id)["text"] == str(len(state["cards"]))


def test_choosing_every_page_asks_for_access_and_then_checks_pages(
    ff: FirefoxGloss, site: str
) -> None:
    ff.api("await browser.permissions.remove({origins: args[0]});", ALL_SITES)
    ff.configure(mode="click")
    without = ff.has_every_site()

    said = ff.save_options("all")
    url = f"http://127.0.0.1:{site}/hostile.html"
    ff.open(url)
    _, state = ff.tab_state(url)

    assert without is False
    assert said == "Saved."
    assert ff.has_every_site()
    assert state["status"] == "done"
    assert [body["url"] for body in ff.proxy.sent()] == [url]


def test_popup_lists_the_pages_cards_and_reveals_one(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    page = ff.open(url)
    tab_id, state = ff.tab_state(url)
    m = ff.firefox.m

    ff.open(f"{EXTENSION_ORIGIN}/popup/popup.html?tab={tab_id}")
    ff.wait_until(
        lambda: m.find_elements("css selector", "#found-list li"), what="the popup's card list"
    )
    titles = [e.text for e in m.find_elements("css selector", "#found-list .title")]
    ff.screenshot("firefox-popup.png")
    m.find_element(
        "css selector", "#found-list li[data-note-id=khalimov-us-trained] button.show"
    ).click()
    ff.firefox.select(page)
    opened = ff.wait_until(
        lambda: ff.shadow("(root) => root.querySelector('[role=dialog]')?.dataset.noteId"),
        what="the revealed card",
    )

    assert titles == [card["title"] for card in state["cards"]]
    assert opened == "khalimov-us-trained"


def test_content_added_later_is_checked_without_resending_earlier_passages(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    ff.open(url)
    ff.tab_state(url)
    first = {p["text"] for p in ff.proxy.sent()[0]["passages"]}

    ff.firefox.run(
        """const main = document.querySelector('main');
           const p = document.createElement('p');
           p.textContent = arguments[0];
           main.append(p);
           const q = document.createElement('p');
           q.textContent = main.querySelector('p').textContent;
           main.append(q);""",
        XINJIANG,
    )
    ff.wait_until(lambda: len(ff.proxy.sent()) == 2, what="a second match request")

    later = [p["text"] for p in ff.proxy.sent()[1]["passages"]]
    assert later == [XINJIANG]
    assert not first & set(later)
    ff.wait_until(
        lambda: any(h["text"].startswith(XINJIANG[:20]) for h in ff.highlighted()),
        what="the later passage to be highlighted",
    )


def test_inline_marks_fallback_wraps_exactly_the_anchored_text(ff: FirefoxGloss, site: str) -> None:
    ff.configure(mode="all", highlighter="marks")
    url = f"http://127.0.0.1:{site}/emoji.html"
    ff.open(url)
    before = ff.firefox.run("return document.querySelector('main').innerText")

    _, state = ff.tab_state(url)
    marks = ff.firefox.run(
        """const groups = [];
           let current = null;
           for (const m of document.querySelectorAll('mark.gloss-mark')) {
             const joined = current && current.last.nextSibling === m;
             if (!joined) { current = {text: '', last: null}; groups.push(current); }
             current.text += m.textContent; current.last = m;
           }
           return groups.map(g => g.text);"""
    )

    assert Counter(marks) == Counter(a["exact"] for c in state["cards"] for a in c["anchors"])
    assert ff.highlighted() == []
    assert ff.firefox.run("return document.querySelector('main').innerText") == before


def test_offsets_survive_emoji_and_combining_marks(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/emoji.html"

    ff.open(url)
    _, state = ff.tab_state(url)

    def both() -> list[str] | None:
        texts = [h["text"] for h in ff.highlighted()]
        found = [any(q.rstrip(".") in t for t in texts) for q in (KHALIMOV, XINJIANG)]
        return texts if all(found) else None

    texts = ff.wait_until(both, what="both highlights") or []
    assert any(KHALIMOV.rstrip(".") in text for text in texts)
    assert any(XINJIANG.rstrip(".") in text for text in texts)
    sent = {p["id"]: p["text"] for p in ff.proxy.sent()[0]["passages"]}
    for card in state["cards"]:
        for anchor in card["anchors"]:
            text = sent[anchor["passage_id"]]
            assert text[anchor["start"] : anchor["end"]] == anchor["exact"]


def test_feedback_reaches_the_server_with_the_reason_given(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    ff.tab_state(url)
    ff.click_highlight(KHALIMOV[:30])
    open_card(ff)

    ff.shadow(
        "(root) => root.querySelector('.feedback button[aria-label=\"Not helpful\"]').click()"
    )
    ff.shadow(
        """(root) => [...root.querySelectorAll('.feedback button')]
             .find(b => b.textContent === 'Outdated').click()"""
    )
    thanks = ff.wait_until(
        lambda: ff.shadow("(root) => root.querySelector('.feedback .thanks')?.textContent"),
        what="feedback to be sent",
    )

    feedback = [(path, body) for path, body in ff.proxy.posted() if path.endswith("/feedback")]
    assert feedback == [
        ("/v1/cards/khalimov-us-trained/feedback", {"helpful": False, "reason": "outdated"})
    ]
    assert thanks == "Thanks for the feedback."


def test_options_page_checks_the_server(ff: FirefoxGloss) -> None:
    m = ff.firefox.m
    ff.open(f"{EXTENSION_ORIGIN}/options/options.html")
    server = m.find_element("css selector", "#server-url")
    ff.wait_until(lambda: server.get_property("value") == ff.server_url, what="the options")

    m.find_element("css selector", "#check-server").click()
    status = m.find_element("css selector", "#server-status")
    health = ff.wait_until(lambda: "Connected" in status.text and status.text, what="Connected")
    ff.screenshot("firefox-options.png")

    assert "notes" in health
    assert "match" in health


NOTICE = "(root) => root.querySelector('.notice')?.textContent ?? null"


def test_a_failing_server_shows_a_notice_and_the_page_recovers_when_it_returns(
    ff: FirefoxGloss, site: str
) -> None:
    ff.proxy.fail_with = 503
    url = f"http://127.0.0.1:{site}/hostile.html"
    try:
        ff.open(url)
        notice = ff.wait_until(lambda: ff.shadow(NOTICE), what="the failure notice")
        ff.screenshot("firefox-server-failing.png")
        highlights_while_failing = ff.highlighted()
    finally:
        ff.proxy.fail_with = None
    # The server is back: the page retries by itself (first retry after a few seconds).
    ff.wait_until(ff.highlighted, timeout=20, what="highlights once the server answers")
    tab_id, state = ff.tab_state(url)

    assert "try again" in notice
    assert highlights_while_failing == []
    assert state["status"] == "done"
    assert ff.badge(tab_id)["text"] == str(len(state["cards"]))
    ff.wait_until(lambda: ff.shadow(NOTICE) is None, what="the notice to go")
    assert len(ff.proxy.sent()) >= 2


def test_saving_allowed_sites_is_granted_and_those_sites_are_checked(
    ff: FirefoxGloss, site: str
) -> None:
    said = ff.save_options("allowed", allow="example-news.com")
    granted = ff.api(
        "return await browser.permissions.contains({origins: args[0]});",
        ["http://www.example-news.com/*", "https://www.example-news.com/*"],
    )
    url = f"http://www.example-news.com:{site}/article.html"
    ff.open(url)
    _, state = ff.tab_state(url)
    other = f"http://localhost:{site}/hostile.html"
    ff.open(other)
    time.sleep(1.5)

    assert said == "Saved."
    assert granted is True
    assert state["status"] == "done"
    assert len(state["cards"]) >= 2
    assert [body["url"] for body in ff.proxy.sent()] == [url]


FOCUSED = """(root) => {
  const el = root.activeElement;
  return el ? {cls: el.className, note: el.dataset.noteId ?? null} : null;
}"""


def test_keyboard_reaches_the_first_highlight_without_crossing_the_page(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    _, state = ff.tab_state(url)
    presses = 0
    for presses in range(1, 41):  # noqa: B007 - the count is the result
        ff.firefox.press("\ue004")  # Tab
        now = ff.shadow(FOCUSED, host="gloss-stops")
        if now and now["cls"] == "trigger":
            break
    else:
        raise AssertionError("Tab never reached a highlight")
    card = open_card(ff)
    ff.firefox.press("\ue00c")  # Escape

    assert presses <= 10, presses
    assert now["note"] in state["anchored"]
    assert card["noteId"] == now["note"]
    ff.wait_until(lambda: ff.shadow(OPEN_CARD) is None, what="Escape to close the card")


def test_claims_are_styled_by_rating_not_by_colour_alone(ff: FirefoxGloss, site: str) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    ff.open(url)
    _, state = ff.tab_state(url)
    ratings = {c["anchors"][0]["exact"][:30]: c["rating"] for c in state["cards"] if c["anchors"]}

    def styled() -> dict[str, str] | None:
        found = {h["text"][:30]: h["style"] for h in ff.highlighted()}
        return found if {HOSTILE_QUOTE[:30], KHALIMOV[:30]} <= found.keys() else None

    styles = ff.wait_until(styled, what="both claims highlighted")
    ff.screenshot("firefox-rating-styles.png")

    assert ratings[HOSTILE_QUOTE[:30]] == "disputed"
    assert ratings[KHALIMOV[:30]] == "accurate"
    assert styles[HOSTILE_QUOTE[:30]] == "claim-disputed"
    assert styles[KHALIMOV[:30]] == "claim-accurate"


BANNER_BOX = """(root) => {
  const banner = root.querySelector('.banner');
  if (!banner) return null;
  const r = banner.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""


def test_banner_leaves_the_sites_header_free_and_a_dismissal_is_remembered(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    ff.open(url)
    ff.tab_state(url)
    banner = ff.wait_until(lambda: ff.shadow(BANNER_BOX), what="the publisher banner")
    nav = ff.firefox.run(
        "const r = document.querySelector('nav').getBoundingClientRect();"
        "return {bottom: r.bottom, height: innerHeight};"
    )
    ff.screenshot("firefox-banner-placement.png")
    overlaps = ff.shadow(
        """(root) => {
          const toggle = root.querySelector('.banner-toggle').getBoundingClientRect();
          return [...root.querySelectorAll('.banner-name')]
            .filter((n) => n.getBoundingClientRect().right > toggle.left + 0.5)
            .map((n) => n.textContent);
        }"""
    )

    ff.shadow("(root) => root.querySelector('.banner .close').click()")
    ff.firefox.m.refresh()
    # The reloaded page is checked and drawn again (cards come with the banner, if any).
    ff.wait_until(ff.highlighted, what="highlights after the reload")
    time.sleep(0.5)
    after_reload = ff.shadow(BANNER_BOX)
    ui_after_reload = ff.shadow("(root) => root.querySelector('.layer') !== null")

    assert banner["top"] > nav["bottom"]
    assert banner["bottom"] <= nav["height"]
    assert banner["top"] > nav["height"] / 2
    assert overlaps == [], "publisher names run under the banner's buttons"
    assert ui_after_reload is True
    assert after_reload is None


def test_a_ticking_clock_and_counter_send_nothing_after_the_first_check(
    ff: FirefoxGloss, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/live.html"
    ff.open(url)
    ff.tab_state(url)
    ff.wait_until(
        lambda: any(h["text"].startswith(KHALIMOV[:30]) for h in ff.highlighted()),
        timeout=15,
        what="the first check's highlights",
    )
    first_check = ff.proxy.sent()
    ticks_before = ff.firefox.run("return document.getElementById('clock').textContent")

    time.sleep(4)  # forty ticks, several times the content script's debounce
    ticks_after = ff.firefox.run("return document.getElementById('clock').textContent")

    assert ticks_after != ticks_before
    assert {body["url"] for body in first_check} == {url}
    later = ff.proxy.sent()[len(first_check) :]
    # The counter's words change too ("1 reader is" becomes "2 readers are"): it keeps changing,
    # so it is never sent again, whenever the first check happened to read it.
    assert later == []


CARD_BOX = """(root) => {
  const card = root.querySelector('[role=dialog]');
  if (!card) return null;
  const r = card.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""


@pytest.mark.parametrize(("width", "height"), [(420, 760), (1280, 520)])
def test_a_card_fits_narrow_and_short_windows(
    ff: FirefoxGloss, site: str, width: int, height: int
) -> None:
    m = ff.firefox.m
    url = f"http://127.0.0.1:{site}/article.html"
    m.set_window_rect(width=width, height=height)
    try:
        ff.open(url)
        ff.tab_state(url)
        view = ff.firefox.run("return {width: innerWidth, height: innerHeight};")
        ff.click_highlight(KHALIMOV[:30])
        ff.wait_until(lambda: ff.shadow(CARD_BOX), what="the card")
        time.sleep(0.3)
        card = ff.shadow(CARD_BOX)
        ff.screenshot(f"firefox-card-{width}x{height}.png")
    finally:
        m.set_window_rect(width=1280, height=900)

    assert card["top"] >= 0
    assert card["left"] >= 0
    assert card["bottom"] <= view["height"]
    assert card["right"] <= view["width"]
    covered = (card["right"] - card["left"]) * (card["bottom"] - card["top"])
    assert covered / (view["width"] * view["height"]) <= 0.45


def test_an_article_in_a_same_origin_iframe_is_checked_highlighted_and_opens_cards(
    ff: FirefoxGloss, site: str
) -> None:
    m = ff.firefox.m
    url = f"http://127.0.0.1:{site}/iframe.html"
    ff.open(url)

    # The frame's own check may come after an empty one.
    state = state_when(ff, url, lambda s: len(s["cards"]) >= 2, what="the frame's cards")
    offset = ff.firefox.run(
        "const r = document.querySelector('#frame').getBoundingClientRect();"
        "return {x: r.left, y: r.top};"
    )
    m.switch_to_frame(m.find_element("css selector", "#frame"))
    try:
        in_frame = ff.wait_until(ff.highlighted, what="highlights in the frame")
        box = ff.highlight_box(XINJIANG[:20])
    finally:
        m.switch_to_parent_frame()

    ff.firefox.move_to(offset["x"] + box["x"] + 30, offset["y"] + box["y"] + box["height"] / 2)
    card = open_card(ff)
    time.sleep(0.3)
    ff.screenshot("firefox-iframe-card.png")

    assert state["orphans"] == []
    assert len(state["cards"]) >= 2
    assert any(h["text"].startswith(XINJIANG[:20]) for h in in_frame)
    assert card["noteId"] == "xinjiang-2014-37-civilians"


def test_a_frame_still_being_parsed_when_the_page_is_read_is_checked_once_it_loads(
    ff: FirefoxGloss, site: str
) -> None:
    # The frame's server pauses between its head and its body (see reader_pages.slow_frame_parts).
    m = ff.firefox.m
    url = f"http://127.0.0.1:{site}/slow-iframe.html"
    ff.open(url)

    state = state_when(
        ff, url, lambda s: len(s["cards"]) >= 2, what="the slow frame's cards", timeout=30
    )
    m.switch_to_frame(m.find_element("css selector", "#frame"))
    try:
        in_frame = ff.wait_until(ff.highlighted, what="highlights in the slow frame")
    finally:
        m.switch_to_parent_frame()

    assert state["orphans"] == []
    assert any(h["text"].startswith(XINJIANG[:20]) for h in in_frame)


@pytest.mark.parametrize("path", ["/read-more.html", "/hidden-frame.html"])
def test_text_a_read_more_button_reveals_is_checked(ff: FirefoxGloss, site: str, path: str) -> None:
    m = ff.firefox.m
    url = f"http://127.0.0.1:{site}{path}"
    ff.open(url)
    ff.tab_state(url)
    m.find_element("css selector", "#read-more").click()

    state_when(ff, url, lambda s: XINJIANG_NOTE in s["anchored"], what="the revealed text's card")
    if path == "/hidden-frame.html":
        m.switch_to_frame(m.find_element("css selector", "#frame"))
    try:
        shown = ff.wait_until(ff.highlighted, what="highlights in the revealed text")
    finally:
        m.switch_to_parent_frame()

    assert any(h["text"].startswith(XINJIANG[:20]) for h in shown)


def test_text_a_same_origin_frame_adds_after_it_was_read_is_checked(
    ff: FirefoxGloss, site: str
) -> None:
    m = ff.firefox.m
    url = f"http://127.0.0.1:{site}/live-frame-host.html"
    ff.open(url)
    state_when(ff, url, lambda s: s["cards"], what="the frame's first cards")
    m.switch_to_frame(m.find_element("css selector", "#frame"))
    try:
        ff.firefox.run(
            "const p = document.createElement('p'); p.textContent = arguments[0];"
            " document.querySelector('main').append(p);",
            XINJIANG,
        )
    finally:
        m.switch_to_parent_frame()
    state_when(ff, url, lambda s: XINJIANG_NOTE in s["anchored"], what="the added paragraph's card")
    m.switch_to_frame(m.find_element("css selector", "#frame"))
    try:
        shown = ff.wait_until(ff.highlighted, what="highlights in the frame")
    finally:
        m.switch_to_parent_frame()

    assert any(h["text"].startswith(XINJIANG[:20]) for h in shown)
