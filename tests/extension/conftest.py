"""Fixtures for the extension's real-browser tests.

One Gloss server (the real one: `gloss load notes/` plus a hostile test note, then `gloss serve`
on a free 127.0.0.1 port), one local web server for the test pages, and one Debian Chromium with
the extension loaded, shared by the session; each test gets fresh settings, a cleared session
cache and a new page. The extension is loaded from a copy whose manifest already holds the host
access a reader grants when choosing "on every page" or allowing a site: a test cannot click the
browser's permission prompt.

Gloss's UI lives in a closed shadow root, which page scripts (and Playwright's selectors) cannot
open; tests read it through the DevTools protocol (see `Shadow`).
"""

from __future__ import annotations

from contextlib import nullcontext
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, Playwright, Route, Worker

from .pages import HOSTILE_NOTE, REPO, article_html, emoji_html, hostile_html
from .reader_pages import READER_PAGES, STREAMED_PAGES

CHROMIUM = "/usr/bin/chromium"
# GLOSS_TEST_EXTENSION points the suite at another copy of the extension (an older build, to
# take "before" screenshots); GLOSS_SHOT names the screenshots of that run.
EXTENSION_SRC = Path(os.environ.get("GLOSS_TEST_EXTENSION") or REPO / "extension")
ARTIFACTS = REPO / "artifacts"
ALL_SITES = ["http://*/*", "https://*/*"]


def shot(name: str) -> str:
    """Path of a screenshot in artifacts/, tagged "after" (or $GLOSS_SHOT for other builds)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"i13-{name}-{os.environ.get('GLOSS_SHOT') or 'after'}.png")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    check: Callable[[], Any],
    timeout: float = 10.0,
    what: str = "condition",
    pause: Callable[[], None] = lambda: time.sleep(0.05),
) -> Any:
    """Poll `check` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        pause()
    pytest.fail(f"timed out waiting for {what} (last value: {last!r})")


class ChecksTabs(Protocol):
    """A browser under test that can read a tab's Gloss state (Chromium's or Firefox's)."""

    def tab_state(self, url: str, timeout: float = 15.0) -> tuple[int, dict[str, Any]]: ...


def state_when(
    browser: ChecksTabs,
    url: str,
    ok: Callable[[dict[str, Any]], Any],
    what: str,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """The tab state at `url` once `ok` holds for it: a later check (a frame's, a section shown
    or added later) can come after the first one recorded a state."""

    def found() -> dict[str, Any] | None:
        state = browser.tab_state(url, timeout=timeout)[1]
        return state if ok(state) else None

    return dict(wait_until(found, timeout=timeout, what=what))


@pytest.fixture(scope="session")
def gloss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real Gloss server, loaded with notes/ and one hostile note; yields its base URL."""
    tmp = tmp_path_factory.mktemp("gloss-server")
    hostile = tmp / "hostile"
    hostile.mkdir()
    (hostile / "hostile-test-note.yaml").write_text(HOSTILE_NOTE, encoding="utf-8")
    env = {
        **os.environ,
        "GLOSS_DATABASE_URL": f"sqlite:///{tmp / 'gloss.db'}",
        "GLOSS_SEED_NOTES_DIR": "",
    }
    gloss = Path(sys.executable).parent / "gloss"
    for notes in (REPO / "notes", hostile):
        subprocess.run([gloss, "load", notes], env=env, check=True, capture_output=True)
    port = free_port()
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [gloss, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"gloss serve exited: {(tmp / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/v1/health", timeout=1) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    try:
        wait_until(healthy, timeout=30, what="gloss serve")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


PAGES: dict[str, Callable[[], str]] = {
    "/article.html": article_html,
    "/emoji.html": emoji_html,
    "/hostile.html": hostile_html,
    **READER_PAGES,
}


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        path = self.path.split("?", 1)[0]
        if path in STREAMED_PAGES:
            self._stream(STREAMED_PAGES[path]())
            return
        page = PAGES.get(path.removeprefix("/b")) or PAGES.get(path)
        if page is None:
            self.send_error(404)
            return
        body = page().encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, parts: list[tuple[float, str]]) -> None:
        """Send each part after its pause; the closed connection ends the page."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        for pause, part in parts:
            time.sleep(pause)
            self.wfile.write(part.encode("utf-8"))
            self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server API
        return


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """A local web server for the test pages; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield str(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Extension:
    """The browser with Gloss loaded, and helpers to drive and observe it."""

    context: BrowserContext
    ext_id: str
    server_url: str
    match_bodies: list[dict[str, Any]] = field(default_factory=list)
    reworded_bodies: list[dict[str, Any]] = field(default_factory=list)
    """The reworded follow-up of each check (``tiers: ["reworded"]``), kept apart."""

    @property
    def worker(self) -> Worker:
        for worker in self.context.service_workers:
            if worker.url.startswith(f"chrome-extension://{self.ext_id}/"):
                return worker
        return self.context.wait_for_event("serviceworker", timeout=10000)

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.worker.evaluate(expression, arg)

    def wait_until(self, check: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        """Like `wait_until`, but lets Playwright run its route handlers while waiting."""

        def pause() -> None:
            self.evaluate("new Promise((resolve) => setTimeout(resolve, 50))")

        return wait_until(check, timeout, what or "condition", pause)

    def configure(self, **settings: Any) -> None:
        """Store settings as the options page would, and wait for the background to apply them."""
        full = {"serverUrl": self.server_url, "mode": "click", "allow": [], "deny": []}
        full.update(settings)
        self.evaluate(
            """async (s) => {
              await chrome.storage.session.clear();
              await chrome.storage.local.remove('dismissedBanners');
              await chrome.storage.local.set({settings: s});
            }""",
            full,
        )
        want_registered = full["mode"] == "all" or (full["mode"] == "allowed" and full["allow"])

        def applied() -> bool:
            scripts = self.evaluate("chrome.scripting.getRegisteredContentScripts()")
            if not want_registered:
                return not scripts
            return bool(scripts) and sorted(scripts[0].get("excludeMatches", [])) == sorted(
                f"{scheme}://{h}/*"
                for host in full["deny"]
                for scheme in ("http", "https")
                for h in (host, f"*.{host}")
            )

        self.wait_until(applied, what="content script registration")

    def tab_state(self, url: str, timeout: float = 15.0) -> tuple[int, dict[str, Any]]:
        """Wait until the page at `url` was checked and anchored; return (tab id, state)."""

        def done() -> tuple[int, dict[str, Any]] | None:
            states = self.evaluate("chrome.storage.session.get(null)")
            for key, state in states.items():
                if not key.startswith("tab:") or state.get("url") != url.split("#", 1)[0]:
                    continue
                reported = len(state["anchored"]) + len(state["orphans"]) == len(state["cards"])
                if state["status"] == "error" or (state["status"] == "done" and reported):
                    return int(key[4:]), state
            return None

        return self.wait_until(done, timeout=timeout, what=f"Gloss to check {url}")


@pytest.fixture(scope="session")
def extension(
    gloss_server: str, tmp_path_factory: pytest.TempPathFactory, playwright_driver: Playwright
) -> Iterator[Extension]:
    """Chromium with the extension loaded (host access to every site already granted)."""
    ext_dir = tmp_path_factory.mktemp("ext") / "extension"
    shutil.copytree(EXTENSION_SRC, ext_dir)
    manifest = json.loads((ext_dir / "manifest.json").read_text())
    manifest["host_permissions"] = [*manifest["host_permissions"], *ALL_SITES]
    (ext_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    profile = tmp_path_factory.mktemp("profile")
    with nullcontext(playwright_driver) as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            viewport={"width": 1280, "height": 900},
            args=[
                f"--disable-extensions-except={ext_dir}",
                f"--load-extension={ext_dir}",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker")
        )
        ext = Extension(context, worker.url.split("/")[2], gloss_server)

        def record(route: Route) -> None:
            body = route.request.post_data
            sent = json.loads(body) if body else {}
            if sent.get("tiers") == ["reworded"]:
                ext.reworded_bodies.append(sent)
            else:
                ext.match_bodies.append(sent)
            route.continue_()

        context.route(f"{gloss_server}/v1/match", record)
        try:
            yield ext
        finally:
            context.close()


@pytest.fixture
def ext(extension: Extension) -> Iterator[Extension]:
    """The shared browser, with default settings ("all" mode) and no recorded requests."""
    extension.configure(mode="all")
    extension.match_bodies.clear()
    extension.reworded_bodies.clear()
    yield extension
    for page in extension.context.pages:
        page.close()


@pytest.fixture
def page(ext: Extension) -> Iterator[Page]:
    """A new tab, closed after the test: a tab left open keeps its state for its address, which
    a later test checking the same address could read instead of its own."""
    page = ext.context.new_page()
    yield page
    page.close()


class Shadow:
    """Runs functions against Gloss's closed shadow root through the DevTools protocol."""

    def __init__(self, page: Page, host: str = "gloss-context") -> None:
        self.page = page
        self.host = host  # "gloss-stops" holds the highlights' keyboard stops
        self.cdp = page.context.new_cdp_session(page)

    def _root_id(self) -> str | None:
        doc = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})
        stack = [doc["root"]]
        while stack:
            node = stack.pop()
            if node.get("localName") == self.host and node.get("shadowRoots"):
                backend = node["shadowRoots"][0]["backendNodeId"]
                obj = self.cdp.send("DOM.resolveNode", {"backendNodeId": backend})
                return str(obj["object"]["objectId"])
            stack.extend(node.get("children", []))
        return None

    def call(self, function: str, arg: Any = None) -> Any:
        """`function` is JS source `(root, arg) => …`; returns its JSON-able result."""
        root = self._root_id()
        if root is None:
            return None
        result = self.cdp.send(
            "Runtime.callFunctionOn",
            {
                "objectId": root,
                "functionDeclaration": f"function (arg) {{ return ({function})(this, arg); }}",
                "arguments": [{"value": arg}],
                "returnByValue": True,
                "awaitPromise": True,
            },
        )
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def text(self, selector: str) -> str | None:
        return self.call("(root, sel) => root.querySelector(sel)?.textContent ?? null", selector)


HIGHLIGHTED_JS = """
() => {
  const out = [];
  if (globalThis.CSS && CSS.highlights) {
    for (const [name, highlight] of CSS.highlights) {
      const [, kind, ...style] = name.split('-');
      if (!name.startsWith('gloss-') || kind === 'active') continue;
      for (const range of highlight) {
        out.push({kind, style: [kind, ...style].join('-'), text: range.toString()});
      }
    }
  }
  return out;
}
"""


def highlighted(page: Page | Frame) -> list[dict[str, str]]:
    """Every range Gloss highlights on the page (or in one of its frames), with its kind,
    style and text."""
    return list(page.evaluate(HIGHLIGHTED_JS))


def highlight_box(page: Page, starts_with: str) -> dict[str, float]:
    """Viewport rectangle of the first line of the highlight starting with `starts_with`, waiting
    for it to be drawn: the tab's state can say "anchored" a moment before a redraw (a reworded
    follow-up, say) has put the highlight back."""
    box = wait_until(
        lambda: _highlight_box(page, starts_with),
        timeout=10,
        what=f"a highlight starting with {starts_with!r}",
    )
    return dict(box)


def _highlight_box(page: Page, starts_with: str) -> dict[str, float] | None:
    box = page.evaluate(
        """(prefix) => {
          for (const [name, h] of CSS.highlights) {
            if (!name.startsWith('gloss-')) continue;
            for (const r of h) if (r.toString().startsWith(prefix)) {
              const rect = r.getClientRects()[0];
              return {x: rect.left, y: rect.top, width: rect.width, height: rect.height};
            }
          }
          return null;
        }""",
        starts_with,
    )
    return dict(box) if box else None
