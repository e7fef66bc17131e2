"""Fixtures for the extension's suite in real Firefox ESR.

The same real Gloss server and test pages as tests/extension (Chromium); one Firefox ESR with
Gloss installed as a temporary add-on, shared by the session. Each test gets fresh settings, a
cleared session cache, an empty request record and its own tab. The add-on is installed from
extension/ as it is; host access for "on every page" is granted as a reader grants it, by
choosing that mode on the options page and pressing Save (the profile lets Firefox grant
optional permission requests without showing the door-hanger, which a test cannot click).

Extension APIs are called from a "control" tab showing the extension's options page, where
`browser.*` is the extension's own API. Gloss's UI is in a closed shadow root; WebDriver's
Get Element Shadow Root reaches closed roots, so tests read cards through it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.extension.conftest import (
    ALL_SITES,
    EXTENSION_SRC,
    PAGES,
    gloss_server,
    site,
    wait_until,
)
from tests.extension.pages import KHALIMOV, REPO, STYLE

from .firefox import EXTENSION_ORIGIN, GECKO_ID, Firefox
from .recorder import RecordingProxy

__all__ = ["gloss_server", "site"]

ARTIFACTS = REPO / "artifacts"
LOCAL_HOSTS = ["www.example-news.com"]


def live_html() -> str:
    """A short article beside a ticking clock and a live reader counter (changes every 100 ms)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live</title><style>{STYLE}</style></head>
<body><main><h1>Live coverage</h1>
<p id="clock">Updated at 12:00:00</p><p id="count">1 reader is following this story</p>
<p>{KHALIMOV}</p></main>
<script>
let n = 1;
setInterval(() => {{
  n += 1;
  const t = new Date().toTimeString().slice(0, 8);
  document.getElementById('clock').textContent = `Updated at ${{t}}.${{n}}`;
  document.getElementById('count').textContent = `${{n}} readers are following this story`;
}}, 100);
</script></body></html>"""


# Served by the test pages' server (tests/extension's `site`), beside its pages.
PAGES["/live.html"] = live_html

HIGHLIGHTED_JS = """
const out = [];
for (const [name, highlight] of win.CSS.highlights) {
  const [, kind, ...style] = name.split('-');  // gloss-<kind>[-<style>]
  if (!name.startsWith('gloss-') || kind === 'active') continue;
  for (const range of highlight) {
    out.push({kind, style: [kind, ...style].join('-'), text: range.toString()});
  }
}
return out;
"""

HIGHLIGHT_BOX_JS = """
const [prefix] = args;
for (const [name, highlight] of win.CSS.highlights) {
  if (!name.startsWith('gloss-')) continue;
  for (const range of highlight) {
    if (!range.toString().startsWith(prefix)) continue;
    const rect = range.getClientRects()[0];
    return {x: rect.left, y: rect.top, width: rect.width, height: rect.height};
  }
}
return null;
"""


class FirefoxGloss:
    """Firefox with Gloss installed, and helpers to drive and observe it."""

    def __init__(self, firefox: Firefox, proxy: RecordingProxy, control: str) -> None:
        self.firefox = firefox
        self.proxy = proxy
        self.control = control
        self.server_url = proxy.url

    def api(self, body: str, *args: Any) -> Any:
        """Run `body` (async, `browser` is the extension API) in the extension's control tab."""
        with self.firefox.in_tab(self.control):
            return self.firefox.run_async(f"const browser = win.browser;\n{body}", *args)

    def wait_until(self, check: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        return wait_until(check, timeout, what or "condition")

    def configure(self, **settings: Any) -> None:
        """Store settings as the options page would, and wait for the background to apply them.

        The background re-registers the automatic content script on each settings change,
        reading the settings when it gets to it, and a page opened while it does so would not
        get Gloss. So the script is unregistered here first, and the settings change exactly
        once (other stored values are removed one by one; a serial number that the extension
        ignores makes the new settings differ from the old): the next registration seen is the
        one for these settings, and the last."""
        self._serial = getattr(self, "_serial", 0) + 1
        full = {"serverUrl": self.server_url, "mode": "click", "allow": [], "deny": []}
        full.update(settings, testSerial=self._serial)
        self.api(
            """await browser.scripting.unregisterContentScripts();
               await browser.storage.session.clear();
               const others = Object.keys(await browser.storage.local.get(null))
                 .filter((key) => key !== 'settings');
               await browser.storage.local.remove(toPage(others));
               await browser.storage.local.set(toPage({settings: args[0]}));""",
            full,
        )
        want_registered = full["mode"] == "all" or (full["mode"] == "allowed" and full["allow"])

        def applied() -> bool:
            scripts = self.api("return await browser.scripting.getRegisteredContentScripts();")
            if not want_registered:
                return not scripts
            if not scripts:
                return False
            excluded = scripts[0].get("excludeMatches", [])
            hosts = {p.split("://", 1)[1].split("/", 1)[0].removeprefix("*.") for p in excluded}
            return hosts == set(full["deny"])

        self.wait_until(applied, what="content script registration")

    def has_every_site(self) -> bool:
        return bool(
            self.api("return await browser.permissions.contains({origins: args[0]});", ALL_SITES)
        )

    def save_options(self, mode: str, allow: str = "", deny: str = "") -> str:
        """Fill in and save the options page as a reader does; returns what it says once it has
        finished (after saving it checks the server: "Saved. Checking the server…")."""
        m = self.firefox.m
        handle = self.open(f"{EXTENSION_ORIGIN}/options/options.html")
        try:
            server = m.find_element("css selector", "#server-url")
            self.wait_until(lambda: server.get_property("value"), what="the options to load")
            server.clear()
            server.send_keys(self.server_url)
            for field, text in (("#allow", allow), ("#deny", deny)):
                box = m.find_element("css selector", field)
                box.clear()
                if text:
                    box.send_keys(text)
            m.find_element("css selector", f"input[name=mode][value={mode}]").click()
            m.find_element("css selector", "#save").click()
            status = m.find_element("css selector", "#save-status")

            def answer() -> str:
                text = str(status.text)
                return "" if text.endswith("…") else text

            return str(self.wait_until(answer, what="the options page to answer"))
        finally:
            self.firefox.close_tab(handle)
            self.firefox.select(self.control)

    def open(self, url: str) -> str:
        """Open `url` in a new tab, as a reader would; returns the tab's handle."""
        return self.firefox.open_tab(url)

    def tab_id_of(self, url: str) -> int:
        tabs = self.wait_until(
            # Firefox's match patterns take no port, so filter the tabs here.
            lambda: self.api(
                "return (await browser.tabs.query({})).filter((t) => t.url === args[0]);", url
            ),
            what=f"a tab at {url}",
        )
        return int(tabs[0]["id"])

    def tab_state(self, url: str, timeout: float = 15.0) -> tuple[int, dict[str, Any]]:
        """Wait until the page at `url` was checked and anchored; return (tab id, state)."""

        def done() -> tuple[int, dict[str, Any]] | None:
            states = self.api("return await browser.storage.session.get(null);")
            for key, state in states.items():
                if not key.startswith("tab:") or state.get("url") != url.split("#", 1)[0]:
                    continue
                reported = len(state["anchored"]) + len(state["orphans"]) == len(state["cards"])
                if state["status"] == "error" or (state["status"] == "done" and reported):
                    return int(key[4:]), state
            return None

        return self.wait_until(done, timeout=timeout, what=f"Gloss to check {url}")

    def badge(self, tab_id: int) -> dict[str, Any]:
        return dict(
            self.api(
                """const tabId = args[0];
                   return {text: await browser.action.getBadgeText({tabId}),
                           color: await browser.action.getBadgeBackgroundColor({tabId})};""",
                tab_id,
            )
        )

    # The current (page) tab.

    def highlighted(self) -> list[dict[str, str]]:
        """Every range Gloss highlights in the current tab, with its kind and text."""
        return list(self.firefox.run_async(HIGHLIGHTED_JS))

    def highlight_box(self, starts_with: str) -> dict[str, float]:
        """Viewport rectangle of the first line of the highlight starting with `starts_with`,
        waiting for it to be drawn: the tab's state can say "anchored" a moment before a
        redraw (the reworded follow-up) has put the highlight back."""
        box = self.wait_until(
            lambda: self.firefox.run_async(HIGHLIGHT_BOX_JS, starts_with),
            what=f"a highlight starting with {starts_with!r}",
        )
        return dict(box)

    def scroll_to_highlight(self, starts_with: str) -> dict[str, float]:
        """Scroll the highlight to the upper part of the window; returns its box there."""
        box = self.highlight_box(starts_with)
        self.firefox.run(
            "window.scrollBy({top: arguments[0], behavior: 'instant'})", box["y"] - 260
        )
        return self.highlight_box(starts_with)

    def click_highlight(self, starts_with: str) -> None:
        """Scroll the highlight into view and click its first line with the real mouse."""
        box = self.scroll_to_highlight(starts_with)
        self.firefox.click_at(box["x"] + min(40, box["width"] / 2), box["y"] + box["height"] / 2)

    def shadow(self, function: str, arg: Any = None, host: str = "gloss-context") -> Any:
        """Run JS `function` `(root, arg) => …` on a Gloss closed shadow root; None if no UI.

        `host` is "gloss-context" (banner, notice, cards) or "gloss-stops" (keyboard stops)."""
        hosts = self.firefox.m.find_elements("css selector", host)
        if not hosts:
            return None
        root = hosts[0].shadow_root
        result = self.firefox.m.execute_script(
            f"return JSON.stringify(({function})(arguments[0], arguments[1]) ?? null);",
            script_args=[root, arg],
        )
        return json.loads(result)

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / name
        self.firefox.screenshot(path)
        return path


@pytest.fixture(scope="session")
def firefox(gloss_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirefoxGloss]:
    """Firefox ESR with Gloss installed from extension/ as a temporary add-on."""
    tmp = tmp_path_factory.mktemp("ff-profile")
    (tmp / "profile").mkdir()
    proxy = RecordingProxy(gloss_server)
    browser = Firefox(tmp / "profile", tmp / "firefox.log", LOCAL_HOSTS)
    try:
        assert browser.install_temporary_addon(EXTENSION_SRC) == GECKO_ID
        control = browser.open_tab(f"{EXTENSION_ORIGIN}/options/options.html")
        gloss = FirefoxGloss(browser, proxy, control)
        wait_until(
            lambda: gloss.api("return typeof browser.storage.local.get === 'function';"),
            what="the extension's options page",
        )
        yield gloss
    finally:
        browser.close()
        proxy.close()


@pytest.fixture
def ff(firefox: FirefoxGloss) -> Iterator[FirefoxGloss]:
    """The shared Firefox in "all" mode (access granted on the options page if it is not), with
    fresh settings and no recorded requests."""
    if not firefox.has_every_site():
        assert firefox.save_options("all") == "Saved."
    firefox.configure(mode="all")
    firefox.proxy.clear()
    yield firefox
    m = firefox.firefox.m
    for handle in m.window_handles:
        if handle != firefox.control:
            m.switch_to_window(handle)
            m.close()
    m.switch_to_window(firefox.control)
    time.sleep(0.05)


def pause(seconds: float) -> None:
    """Let the browser work for a while (for "nothing happens" checks)."""
    time.sleep(seconds)
