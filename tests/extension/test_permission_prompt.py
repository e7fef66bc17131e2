"""Saving "on sites I allow" asks the browser for access, and the reader's yes is honoured.

Driven as a reader does it: the unmodified extension (no host access granted in advance) in a
headed Chromium inside Xvfb, the options page's Save button, and the browser's own permission
prompt answered with the keyboard through xdotool.
"""

from __future__ import annotations

from contextlib import nullcontext
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Playwright, expect

from .conftest import CHROMIUM, EXTENSION_SRC, Extension, Shadow, shot, wait_until

NEWS_HOST = "www.example-news.com"


def _free_display() -> int:
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private X server, so the browser's permission prompt has somewhere to appear."""
    name = f":{_free_display()}"
    xvfb = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(
            lambda: Path(f"/tmp/.X11-unix/X{name[1:]}").exists() or xvfb.poll() is not None,
            what="Xvfb",
        )
        assert xvfb.poll() is None, "Xvfb exited"
        yield name
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


@pytest.fixture(scope="module")
def headed(
    display: str, gloss_server: str, site: str, playwright_driver: Playwright
) -> Iterator[Extension]:
    """Headed Chromium with the extension exactly as shipped: no host access granted."""
    ext_dir = Path(tempfile.mkdtemp()) / "extension"
    shutil.copytree(EXTENSION_SRC, ext_dir)
    profile = tempfile.mkdtemp()
    with nullcontext(playwright_driver) as p:
        context: BrowserContext = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=False,
            env={**os.environ, "DISPLAY": display},
            viewport={"width": 1100, "height": 760},
            args=[
                f"--disable-extensions-except={ext_dir}",
                f"--load-extension={ext_dir}",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--host-resolver-rules=MAP {NEWS_HOST} 127.0.0.1:{site}",
            ],
        )
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker")
        )
        try:
            yield Extension(context, worker.url.split("/")[2], gloss_server)
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
            shutil.rmtree(ext_dir.parent, ignore_errors=True)


def _press(display: str, *keys: str) -> None:
    subprocess.run(["xdotool", "key", *keys], env={**os.environ, "DISPLAY": display}, check=True)


def test_saving_allowed_sites_asks_the_browser_and_then_checks_those_sites(
    headed: Extension, display: str
) -> None:
    options = headed.context.new_page()
    options.goto(f"chrome-extension://{headed.ext_id}/options/options.html")
    options.fill("#server-url", headed.server_url)
    options.check("input[name=mode][value=allowed]")
    options.fill("#allow", "example-news.com")

    options.click("#save")
    time.sleep(1.0)  # the prompt is a browser window: give it time to take the focus
    _press(display, "Tab", "Return")  # "Allow" (Deny is the focused default)
    expect(options.locator("#save-status")).not_to_be_empty(timeout=10000)
    options.screenshot(path=shot("1-allowed-sites-save"))
    expect(options.locator("#save-status")).to_have_text("Saved.", timeout=10000)
    granted = headed.evaluate(
        "chrome.permissions.contains({origins: ['https://www.example-news.com/*']})"
    )
    news = headed.context.new_page()
    news.goto(f"http://{NEWS_HOST}/article.html")
    _, state = headed.tab_state(f"http://{NEWS_HOST}/article.html")
    news.screenshot(path=shot("1-allowed-site-checked"))

    assert granted is True
    assert state["status"] == "done"
    assert len(state["cards"]) >= 2


def test_the_next_card_shortcut_checks_the_page_then_moves_from_card_to_card(
    headed: Extension, display: str, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"
    page = headed.context.new_page()
    page.goto(url)
    page.bring_to_front()
    shadow = Shadow(page)
    opened = "(root) => root.querySelector('[role=dialog]')?.dataset.noteId ?? null"

    commands = headed.evaluate("chrome.commands.getAll()")
    _press(display, "alt+shift+g")  # the first press checks the page (the shortcut grants access)
    headed.tab_state(url)
    _press(display, "alt+shift+g")
    first = headed.wait_until(lambda: shadow.call(opened), what="the first card")
    _press(display, "alt+shift+g")
    second = headed.wait_until(
        lambda: (shadow.call(opened) or first) != first and shadow.call(opened),
        what="the next card",
    )
    focus_in_card = shadow.call("(root) => root.activeElement?.getAttribute('role')")
    page.screenshot(path=shot("6-next-card-shortcut"))

    assert {"name": "next-card", "shortcut": "Alt+Shift+G"}.items() <= next(
        c for c in commands if c["name"] == "next-card"
    ).items()
    assert first != second
    assert focus_in_card == "dialog"
