"""What a reader meets on real pages: a failing server, live pages, site chrome, dark pages,
the keyboard, short and narrow windows, nested notes. Each test drives the real flow in Chromium
and keeps screenshots in artifacts/ (tagged "after"; see conftest.shot)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, expect

from .conftest import (
    REPO,
    Extension,
    Shadow,
    free_port,
    highlight_box,
    highlighted,
    shot,
    state_when,
    wait_until,
)
from .pages import KHALIMOV, XINJIANG, XINJIANG_NOTE

NOTICE = "(root) => root.querySelector('.notice')?.textContent ?? null"
OPEN_CARD_ID = "(root) => root.querySelector('[role=dialog]')?.dataset.noteId ?? null"


class SpareServer:
    """A Gloss server of the test's own, which the test can stop and start again on one port."""

    def __init__(self, tmp: Path) -> None:
        self.env = {
            **os.environ,
            "GLOSS_DATABASE_URL": f"sqlite:///{tmp / 'spare.db'}",
            "GLOSS_SEED_NOTES_DIR": "",
        }
        self.gloss = Path(sys.executable).parent / "gloss"
        subprocess.run(
            [self.gloss, "load", REPO / "notes"], env=self.env, check=True, capture_output=True
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.gloss,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(f"{self.url}/v1/health", timeout=1) as r:
                    return bool(r.status == 200)
            except OSError:
                return False

        wait_until(healthy, timeout=30, what="the spare gloss server")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def spare(tmp_path: Path) -> Iterator[SpareServer]:
    server = SpareServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def popup_for(ext: Extension, tab_id: int) -> Page:
    popup = ext.context.new_page()
    popup.set_viewport_size({"width": 380, "height": 600})
    popup.goto(f"chrome-extension://{ext.ext_id}/popup/popup.html?tab={tab_id}")
    return popup


def tab_of(ext: Extension, url: str) -> int:
    tabs = ext.wait_until(
        lambda: ext.evaluate("(url) => chrome.tabs.query({url})", url), what="the tab"
    )
    return int(tabs[0]["id"])


def test_a_dead_server_is_shown_on_the_page_and_the_page_recovers_when_it_returns(
    ext: Extension, page: Page, site: str, spare: SpareServer
) -> None:
    ext.configure(mode="all", serverUrl=spare.url)
    url = f"http://127.0.0.1:{site}/hostile.html"
    page.goto(url)
    tab_id, failed = ext.tab_state(url)
    page.wait_for_timeout(500)
    page.screenshot(path=shot("2-server-down-page"))
    shadow = Shadow(page)
    notice = ext.wait_until(lambda: shadow.call(NOTICE), what="the failure notice")
    popup = popup_for(ext, tab_id)
    expect(popup.locator("#status")).to_contain_text("cannot be reached")
    popup.screenshot(path=shot("2-server-down-popup"))

    spare.start()
    page.bring_to_front()  # the reader goes back to the page
    ext.wait_until(lambda: highlighted(page), timeout=45, what="highlights after recovery")
    expect(popup.locator("#status")).to_contain_text("context card", timeout=10000)
    page.screenshot(path=shot("2-server-back-page"))
    popup.screenshot(path=shot("2-server-back-popup"))

    assert failed["status"] == "error"
    assert "could not check this page" in notice
    assert "try again" in notice
    assert shadow.call(NOTICE) is None
    assert [h["text"][:30] for h in highlighted(page)] == [KHALIMOV[:30]]  # notes/ only
    assert ext.evaluate("(tabId) => chrome.action.getBadgeText({tabId})", tab_id) == "1"


def test_a_503_is_retried_and_the_retry_sends_the_passages_again(
    ext: Extension, page: Page, site: str
) -> None:
    answers: list[int] = []

    def unavailable_once(route: Route) -> None:
        body = route.request.post_data
        if body and json.loads(body).get("tiers") == ["reworded"]:
            route.fallback()  # the reworded follow-up of a check: not a check of its own
            return
        if not answers:
            answers.append(503)
            route.fulfill(
                status=503,
                content_type="application/problem+json",
                body=json.dumps(
                    {
                        "type": "about:blank",
                        "title": "Service Unavailable",
                        "status": 503,
                        "detail": "Busy.",
                    }
                ),
            )
        else:
            answers.append(200)
            route.fallback()

    ext.context.route(f"{ext.server_url}/v1/match", unavailable_once)
    try:
        url = f"http://127.0.0.1:{site}/hostile.html"
        page.goto(url)
        ext.wait_until(
            lambda: len(highlighted(page)) >= 2, timeout=20, what="highlights after a retry"
        )
    finally:
        ext.context.unroute(f"{ext.server_url}/v1/match", unavailable_once)

    assert answers == [503, 200]
    assert len(ext.match_bodies) == 1  # the retry: the 503 was answered before the recorder


def test_a_503_with_retry_after_is_asked_again_no_sooner_than_the_server_asked(
    ext: Extension, page: Page, site: str
) -> None:
    asked: list[float] = []

    def busy_once(route: Route) -> None:
        body = route.request.post_data
        if body and json.loads(body).get("tiers") == ["reworded"]:
            route.fallback()
            return
        asked.append(time.monotonic())
        if len(asked) == 1:
            route.fulfill(
                status=503,
                headers={"Retry-After": "7"},
                content_type="application/problem+json",
                body=json.dumps({"type": "about:blank", "title": "Busy", "status": 503}),
            )
        else:
            route.fallback()

    ext.context.route(f"{ext.server_url}/v1/match", busy_once)
    try:
        url = f"http://127.0.0.1:{site}/hostile.html"
        page.goto(url)
        ext.wait_until(lambda: len(highlighted(page)) >= 2, timeout=20, what="highlights")
    finally:
        ext.context.unroute(f"{ext.server_url}/v1/match", busy_once)

    assert len(asked) == 2
    # Gloss's own first retry comes after 3 s; the server asked for 7.
    assert asked[1] - asked[0] >= 6.5


def test_a_ticking_clock_and_counters_send_nothing_after_the_first_check(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/clock.html"
    page.goto(url)
    ext.tab_state(url)
    page.wait_for_timeout(4000)  # sixteen ticks
    after_ticks = len(ext.match_bodies)
    page.screenshot(path=shot("3-clock-page"))
    page.evaluate(
        """(text) => {
          const p = document.createElement('p');
          p.textContent = text;
          document.querySelector('main').append(p);
        }""",
        "A new paragraph arrives later, long after the first check of this page.",
    )
    ext.wait_until(lambda: len(ext.match_bodies) == 2, what="new text to be checked")
    page.wait_for_timeout(1500)

    assert after_ticks == 1
    assert len(ext.match_bodies) == 2
    assert [p["text"] for p in ext.match_bodies[1]["passages"]] == [
        "A new paragraph arrives later, long after the first check of this page."
    ]


def test_a_counter_whose_words_change_is_not_sent_again_but_a_corrected_paragraph_is(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/counter.html"
    page.goto(url)
    ext.tab_state(url)
    page.evaluate("startCounting()")
    page.wait_for_timeout(4000)  # twenty changes, "1 reader is" now "21 readers are"
    after_counting = len(ext.match_bodies)
    corrected = "The harbour authority corrected its figures on Tuesday evening."
    page.evaluate("(text) => { document.querySelector('h1').textContent = text; }", corrected)
    ext.wait_until(lambda: len(ext.match_bodies) == 2, timeout=10, what="the corrected heading")
    page.wait_for_timeout(1500)

    assert after_counting == 1, [b["passages"] for b in ext.match_bodies[1:]]
    assert len(ext.match_bodies) == 2
    assert [p["text"] for p in ext.match_bodies[1]["passages"]] == [corrected]


@pytest.mark.parametrize("path", ["/read-more.html", "/hidden-frame.html"])
def test_text_a_read_more_button_reveals_is_checked(
    ext: Extension, page: Page, site: str, path: str
) -> None:
    # A hidden paragraph, or a same-origin frame that loaded while hidden, shown by a class
    # change: no node is added, so only the attribute change can bring the check.
    url = f"http://127.0.0.1:{site}{path}"
    page.goto(url)
    ext.tab_state(url)
    first = [p["text"] for b in ext.match_bodies for p in b["passages"]]
    page.click("#read-more")

    state = state_when(
        ext,
        url,
        lambda s: any(c["note_id"] == XINJIANG_NOTE for c in s["cards"]),
        what="the revealed paragraph's card",
    )

    assert XINJIANG not in first  # hidden text is never sent
    assert XINJIANG_NOTE in state["anchored"]
    shown = page.frames[1] if path == "/hidden-frame.html" else page
    assert any(h["text"].startswith(XINJIANG[:20]) for h in highlighted(shown))


def test_text_a_same_origin_frame_adds_after_it_was_read_is_checked(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/live-frame-host.html"
    page.goto(url)
    state_when(ext, url, lambda s: s["cards"], what="the frame's first cards")
    inner = next(f for f in page.frames if f.url.endswith("/live-frame.html"))
    first = [p["text"] for b in ext.match_bodies for p in b["passages"]]
    inner.evaluate(
        "(text) => { const p = document.createElement('p'); p.textContent = text;"
        " document.querySelector('main').append(p); }",
        XINJIANG,
    )

    state_when(ext, url, lambda s: XINJIANG_NOTE in s["anchored"], what="the added paragraph's card")

    assert XINJIANG not in first
    assert any(h["text"].startswith(XINJIANG[:20]) for h in highlighted(inner))


def rect_of(shadow: Shadow, selector: str) -> dict[str, float] | None:
    return shadow.call(
        """(root, sel) => { const el = root.querySelector(sel); if (!el) return null;
          const r = el.getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }""",
        selector,
    )


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def test_the_publisher_banner_leaves_the_site_header_alone_shows_every_name_and_stays_dismissed(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    shadow = Shadow(page)
    banner = ext.wait_until(lambda: rect_of(shadow, ".banner"), what="the banner")
    header = page.evaluate(
        "(() => { const r = document.querySelector('nav').getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()"
    )
    names = shadow.call(
        """(root) => [...root.querySelectorAll('.banner-name')].map((n) => {
          const r = n.getBoundingClientRect();
          const b = root.querySelector('.banner').getBoundingClientRect();
          const inside = r.left >= b.left && r.right <= b.right && r.width > 0;
          return {text: n.textContent, inside};
        })"""
    )
    page.screenshot(path=shot("4-banner"))
    shadow.call("(root) => root.querySelector('.banner .close').click()")
    page.wait_for_timeout(300)
    page.reload()
    ext.tab_state(url)
    page.wait_for_timeout(500)

    assert not overlaps(banner, header)
    assert {n["text"] for n in names} == {"Global Research", "South Front"} or len(names) == 2
    assert all(n["inside"] for n in names), names
    assert rect_of(Shadow(page), ".banner") is None


def test_each_rating_has_its_own_highlight_style_and_the_popup_explains_them(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    tab_id, state = ext.tab_state(url)
    styles = {h["text"][:30]: h["style"] for h in highlighted(page)}
    decorations = page.evaluate(
        """(names) => names.map((n) => {
          const el = document.querySelector('main p');
          const s = getComputedStyle(el, `::highlight(${n})`);
          return [s.textDecorationStyle, s.textDecorationColor, s.backgroundColor];
        })""",
        [
            "gloss-claim-false",
            "gloss-claim-disputed",
            "gloss-claim-accurate",
            "gloss-sourcing",
            "gloss-publisher",
        ],
    )
    box = highlight_box(page, KHALIMOV[:30])
    page.evaluate("(y) => window.scrollBy(0, y - 300)", box["y"])
    page.screenshot(path=shot("5-rating-styles"))
    popup = popup_for(ext, tab_id)
    popup.locator("#legend summary").click()
    legend = popup.locator("#legend li").all_inner_texts()
    swatches = popup.evaluate(
        "[...document.querySelectorAll('#legend .swatch')]"
        ".map((s) => getComputedStyle(s).textDecorationStyle)"
    )
    popup.screenshot(path=shot("5-popup-legend"))

    misleading = next(c for c in state["cards"] if c["rating"] == "misleading")
    assert styles[KHALIMOV[:30]] == "claim-accurate"
    assert styles[misleading["anchors"][0]["exact"][:30]] == "claim-false"
    assert len({d[0] for d in decorations}) == 5, decorations  # shapes differ, not just colours
    assert len(legend) == 5
    assert any("Accurate" in line or "accurate" in line for line in legend)
    assert len(set(swatches)) == 5


def test_tab_reaches_the_first_highlight_where_the_article_starts(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    stops = Shadow(page, "gloss-stops")
    focused = "(root) => root.activeElement?.dataset.noteId ?? null"
    presses = 0
    for presses in range(1, 80):  # noqa: B007 - the count is the result
        page.keyboard.press("Tab")
        if stops.call(focused):
            break
    page.wait_for_timeout(300)
    page.screenshot(path=shot("6-first-tab-stop"))
    links_before = page.evaluate(
        """() => { const stops = document.querySelector('gloss-stops');
          return [...document.querySelectorAll('a[href], button, input, textarea, select')]
            .filter((el) => stops.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)
            .length; }"""
    )

    assert stops.call(focused) is not None
    assert presses == links_before + 1
    assert presses <= 12


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    def lum(c: tuple[int, ...]) -> float:
        ch = [v / 255 for v in c[:3]]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_a_hovered_highlight_on_a_dark_page_stays_readable(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/dark.html"
    page.goto(url)
    ext.tab_state(url)
    box = highlight_box(page, XINJIANG[:20])
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
    shadow = Shadow(page)
    ext.wait_until(lambda: shadow.call(OPEN_CARD_ID), what="the hover card")
    png = page.screenshot(
        clip={
            "x": box["x"],
            "y": box["y"],
            "width": min(box["width"], 400),
            "height": box["height"],
        }
    )
    page.screenshot(path=shot("7-dark-hover"))
    pixels = list(Image.open(io.BytesIO(png)).convert("RGB").get_flattened_data())
    background = max(set(pixels), key=pixels.count)
    ink = max(pixels, key=lambda p: contrast(p, background))
    names = page.evaluate("[...CSS.highlights.keys()]")

    assert contrast(ink, background) >= 4.5, (ink, background)
    assert all(name.endswith("-dark") for name in names), names


@pytest.mark.parametrize(("width", "height"), [(400, 700), (1280, 420)])
def test_a_card_fits_short_and_narrow_windows(
    ext: Extension, page: Page, site: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    url = f"http://127.0.0.1:{site}/article.html"
    page.goto(url)
    ext.tab_state(url)
    box = highlight_box(page, KHALIMOV[:30])
    page.evaluate("(dy) => window.scrollBy({top: dy, behavior: 'instant'})", box["y"] - height / 3)
    box = highlight_box(page, KHALIMOV[:30])
    page.mouse.click(box["x"] + min(30, box["width"] / 2), box["y"] + box["height"] / 2)
    shadow = Shadow(page)
    ext.wait_until(lambda: shadow.call(OPEN_CARD_ID), what="the card")
    page.wait_for_timeout(250)
    card = rect_of(shadow, "[role=dialog]")
    page.screenshot(path=shot(f"8-card-{width}x{height}"))

    assert card is not None
    assert card["top"] >= 0
    assert card["bottom"] <= height
    assert card["left"] >= 0
    assert card["right"] <= width
    covered = (card["right"] - card["left"]) * (card["bottom"] - card["top"]) / (width * height)
    assert covered <= 0.45, covered


def test_hovering_a_passage_inside_another_opens_the_inner_card(
    ext: Extension, page: Page, site: str
) -> None:
    inner = "Tajikistan Colonel Gulmurod Khalimov"

    def add_inner(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        outer = next(c for c in body["cards"] if c["note_id"] == "khalimov-us-trained")
        anchor = dict(outer["anchors"][0])
        at = anchor["exact"].index(inner)
        anchor.update(
            start=anchor["start"] + at, end=anchor["start"] + at + len(inner), exact=inner
        )
        body["cards"].append(
            {**outer, "note_id": "inner-note", "title": "Inner note", "anchors": [anchor]}
        )
        route.fulfill(response=response, body=json.dumps(body))

    ext.context.route(f"{ext.server_url}/v1/match", add_inner)
    try:
        url = f"http://127.0.0.1:{site}/hostile.html"
        page.goto(url)
        ext.tab_state(url)
    finally:
        ext.context.unroute(f"{ext.server_url}/v1/match", add_inner)
    box = highlight_box(page, inner)
    shadow = Shadow(page)
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    opened = ext.wait_until(lambda: shadow.call(OPEN_CARD_ID), what="the hover card")

    assert opened == "inner-note"


def test_the_popup_says_checking_while_the_server_is_slow(
    ext: Extension, page: Page, site: str
) -> None:
    def slow(route: Route) -> None:
        body = route.request.post_data
        if not (body and json.loads(body).get("tiers") == ["reworded"]):  # only checks are slow
            page.wait_for_timeout(3000)
        route.fallback()

    url = f"http://127.0.0.1:{site}/hostile.html"
    ext.context.route(f"{ext.server_url}/v1/match", slow)
    try:
        page.goto(url)  # checked as it loads ("every page" mode), slowly
        popup = popup_for(ext, tab_of(ext, url))
        popup.wait_for_timeout(800)
        during = popup.locator("#status").inner_text()
        expect(popup.locator("#status")).to_contain_text("context card", timeout=15000)
    finally:
        ext.context.unroute(f"{ext.server_url}/v1/match", slow)

    assert during == "Checking…"


def test_saving_an_unreachable_server_says_so(ext: Extension) -> None:
    options = ext.context.new_page()
    options.goto(f"chrome-extension://{ext.ext_id}/options/options.html")
    options.fill("#server-url", "http://127.0.0.1:9")
    options.click("#save")
    expect(options.locator("#save-status")).to_contain_text("does not answer", timeout=15000)

    assert "Saved" in options.locator("#save-status").inner_text()


def test_an_article_in_a_same_origin_iframe_is_checked_highlighted_and_opens_cards(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/iframe.html"
    page.goto(url)
    tab_id, state = ext.tab_state(url)
    popup = popup_for(ext, tab_id)
    popup.wait_for_timeout(500)
    popup.screenshot(path=shot("9-iframe-popup"))
    frame = page.frame_locator("#frame")
    inner = next(f for f in page.frames if f.url.endswith("/frame.html"))
    boxes = ext.wait_until(
        lambda: inner.evaluate(
            """() => [...CSS.highlights].flatMap(([name, h]) => [...h].map((r) => {
              const b = r.getClientRects()[0];
              return {name, text: r.toString(), x: b.left, y: b.top, h: b.height};
            }))"""
        ),
        what="highlights in the frame",
    )
    offset = page.evaluate(
        "(() => { const r = document.querySelector('#frame').getBoundingClientRect();"
        " return {x: r.left, y: r.top}; })()"
    )
    xinjiang = next(b for b in boxes if b["text"].startswith(XINJIANG[:20]))
    page.mouse.move(
        offset["x"] + xinjiang["x"] + 30, offset["y"] + xinjiang["y"] + xinjiang["h"] / 2
    )
    shadow = Shadow(page)
    opened = ext.wait_until(lambda: shadow.call(OPEN_CARD_ID), what="the card over the frame")
    page.wait_for_timeout(250)
    page.screenshot(path=shot("9-iframe-card"))
    expect(popup.locator("#status")).to_contain_text("context card")

    assert frame.locator("p").count() == 3
    assert state["orphans"] == []
    assert len(state["cards"]) >= 2
    assert opened == "xinjiang-2014-37-civilians"
    assert "No context cards" not in popup.locator("#status").inner_text()


def test_a_frame_still_being_parsed_when_the_page_is_read_is_checked_once_it_loads(
    ext: Extension, page: Page, site: str
) -> None:
    # The frame's server pauses between its head and its body, so the page's check finds the
    # frame's document without a body; its load must bring a second check that reads it.
    url = f"http://127.0.0.1:{site}/slow-iframe.html"
    page.goto(url, wait_until="commit")

    state = state_when(
        ext, url, lambda s: len(s["cards"]) >= 2, what="the slow frame's cards", timeout=30
    )
    inner = next(f for f in page.frames if f.url.endswith("/slow-frame.html"))
    texts = ext.wait_until(
        lambda: inner.evaluate("() => [...CSS.highlights].flatMap(([, h]) => [...h].map(String))"),
        what="highlights in the slow frame",
    )

    assert state["orphans"] == []
    assert any(t.startswith(XINJIANG[:20]) for t in texts)


def test_frames_get_the_same_highlight_styles_as_the_page() -> None:
    content = REPO / "extension" / "content"
    page_css = (content / "page.css").read_text(encoding="utf-8")
    module = (content / "highlight-css.js").read_text(encoding="utf-8")

    assert module.split("`", 2)[1].strip() == page_css.strip()
