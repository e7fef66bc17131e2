"""Every console flow in a real browser (Debian's Chromium through Playwright), with screenshots
in ``artifacts/console-*.png`` and an axe-core check (0 serious or critical violations) of every
page. One server (``gloss serve``, tokens made with ``gloss tokens create``) and one browser for
the module; each test opens its own contexts, so sessions do not leak between tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Playwright, expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SEED = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"
ARTICLE_URL = (
    "https://www.globalresearch.ca/us-sponsored-isis-terrorists-establish-foothold-in-"
    "afghanistan-extending-into-central-asian-heartland/5480861"
)
QUOTE = "In 2014 37 civilians were killed in bloody terror attack in Xinjiang, China."
FIRST_SUMMARY = "The 2014 Xinjiang attacks killed more people than this; the figure is from one."


@dataclass
class Server:
    url: str
    curator: str
    admin: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gloss(env: dict[str, str], *args: str) -> str:
    gloss = Path(sys.executable).parent / "gloss"
    done = subprocess.run([gloss, *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``gloss serve`` on a fresh SQLite database with the curated notes, as ``make run`` does."""
    tmp = tmp_path_factory.mktemp("console")
    env = {**os.environ, "GLOSS_DATABASE_URL": f"sqlite:///{tmp / 'gloss.db'}"}
    _gloss(env, "load", str(REPO / "notes"))
    curator = _gloss(env, "tokens", "create", "--name", "Casey Curator", "--role", "curator")
    admin = _gloss(env, "tokens", "create", "--name", "Ada Admin", "--role", "admin")
    port = _free_port()
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [Path(sys.executable).parent / "gloss", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/v1/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gloss serve did not start: {(tmp / 'server.log').read_text()}")
                time.sleep(0.1)
        yield Server(url, curator.strip().splitlines()[-1], admin.strip().splitlines()[-1])
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    served_log = (tmp / "server.log").read_text()
    assert curator.strip().splitlines()[-1] not in served_log  # tokens never reach the logs


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(
        executable_path="/usr/bin/chromium",
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def open_page(contexts: list[BrowserContext], browser: Browser, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    contexts.append(context)
    page = context.new_page()
    page.on("dialog", _no_dialogs)
    return page


def _no_dialogs(dialog: Dialog) -> None:
    dialog.dismiss()
    pytest.fail(f"a script ran in the console: {dialog.message}")


def sign_in(page: Page, server: Server, secret: str) -> None:
    page.goto(f"{server.url}/console/")
    page.get_by_label("Token").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Notes", exact=True)).to_be_visible()


def check_page(page: Page, name: str) -> None:
    """Screenshot into artifacts/ and run axe-core: no serious or critical violation."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # devtools evaluation: the page's CSP stays
    results: dict[str, Any] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))}))"
    )
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: {json.dumps(bad, indent=1)}"


def match_ids(server: Server) -> list[str]:
    """Note ids the API matches on the example article, as the extension would ask."""
    gloss = Path(sys.executable).parent / "gloss"
    body = subprocess.run(
        [gloss, "passages", "--url", ARTICLE_URL, str(SEED)],
        check=True,
        capture_output=True,
    ).stdout
    request = urllib.request.Request(
        f"{server.url}/v1/match", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return [card["note_id"] for card in json.load(response)["cards"]]


def new_claim(page: Page, server: Server, title: str) -> None:
    page.goto(f"{server.url}/console/notes/new")
    page.get_by_label("Kind").select_option("claim")
    page.get_by_label("Rating (claims)").select_option("misleading")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary (the card text").fill(FIRST_SUMMARY)
    page.get_by_label("Quotes").fill(QUOTE)
    page.get_by_label("Sources").fill("Example source | https://example.org/xinjiang-2014")


def test_sign_in_and_the_notes_list(browser: Browser, server: Server, contexts: list[Any]) -> None:
    page = open_page(contexts, browser)
    page.goto(f"{server.url}/console/notes")
    check_page(page, "sign-in")
    page.get_by_label("Token").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That token is unknown or revoked.")).to_be_visible()
    check_page(page, "sign-in-error")

    sign_in(page, server, server.curator)
    page.get_by_label("Search").fill("south front")
    page.get_by_role("button", name="Filter").click()
    check_page(page, "notes")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.get_by_role("link", name="South Front").count() >= 1
    cookies = page.context.cookies()
    assert [(c["httpOnly"], c["sameSite"]) for c in cookies] == [(True, "Strict")]


def test_write_preview_try_publish_a_claim_from_the_example_article(
    browser: Browser, server: Server, contexts: list[Any]
) -> None:
    page = open_page(contexts, browser)
    sign_in(page, server, server.curator)
    page.goto(f"{server.url}/console/notes/new")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#f-title-error")).to_be_visible()
    check_page(page, "new-note-errors")

    new_claim(page, server, "Xinjiang 2014 death toll")
    card = page.locator("[data-preview-card]")
    expect(card.locator(".title")).to_have_text("Xinjiang 2014 death toll")  # live, before saving
    expect(card.locator(".rating")).to_have_text("Misleading")
    page.get_by_label("Page text").fill(SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Try it").click()
    expect(page.locator("tr.tier-exact")).to_have_count(1)
    check_page(page, "try-it")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    before = match_ids(server)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".meta .status")).to_have_text("published")
    check_page(page, "published")

    assert "xinjiang-2014-death-toll" not in before
    assert "xinjiang-2014-death-toll" in match_ids(server)


def test_stale_edit_in_two_tabs_is_merged_keeping_both(
    browser: Browser, server: Server, contexts: list[Any]
) -> None:
    first = open_page(contexts, browser)
    sign_in(first, server, server.curator)
    new_claim(first, server, "Two tabs note")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_text("Saved.")).to_be_visible()
    second = first.context.new_page()
    second.on("dialog", _no_dialogs)
    second.goto(first.url.split("?")[0])
    theirs = "Their summary: the toll reported that year was disputed by several sources."
    mine = "My summary: the figure in the article comes from a single early report."
    second.get_by_label("Summary (the card text").fill(theirs)
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.get_by_text("Saved.")).to_be_visible()

    first.get_by_label("Summary (the card text").fill(mine)
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_role("heading", name="Someone saved this note")).to_be_visible()
    expect(first.locator("#theirs-summary")).to_have_text(theirs)
    expect(first.get_by_label("Summary (the card text")).to_have_value(mine)
    check_page(first, "conflict")
    first.locator("button.use-theirs[data-field='f-summary']").click()
    expect(first.get_by_label("Summary (the card text")).to_have_value(theirs)
    first.get_by_label("Summary (the card text").fill(f"{mine} {theirs}")
    first.get_by_role("button", name="Save merged version").click()

    expect(first.get_by_text("Saved.")).to_be_visible()
    expect(first.get_by_label("Summary (the card text")).to_have_value(f"{mine} {theirs}")


def test_history_diff_and_restore(browser: Browser, server: Server, contexts: list[Any]) -> None:
    page = open_page(contexts, browser)
    sign_in(page, server, server.curator)
    new_claim(page, server, "History note")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("Summary (the card text").fill(FIRST_SUMMARY + " A second sentence.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("version 2")).to_be_visible()

    page.get_by_role("link", name="History").click()
    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 2").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".diff ins")).to_have_text([" A second sentence."])
    check_page(page, "history")
    page.get_by_role("button", name="Restore revision 1").click()

    expect(page.get_by_text("version 3")).to_be_visible()
    expect(page.get_by_label("Summary (the card text")).to_have_value(FIRST_SUMMARY)


def test_feedback_triage(browser: Browser, server: Server, contexts: list[Any]) -> None:
    for helpful, reason in ((False, "outdated"), (False, "unclear"), (True, None)):
        body = json.dumps({"helpful": helpful, **({"reason": reason} if reason else {})})
        request = urllib.request.Request(
            f"{server.url}/v1/cards/south-front/feedback",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request).close()
    page = open_page(contexts, browser)
    sign_in(page, server, server.curator)

    page.get_by_role("link", name="Feedback").click()
    expect(page.get_by_text("outdated (1)")).to_be_visible()
    check_page(page, "feedback")
    page.get_by_role("button", name="Mark handled: feedback on SouthFront (South Front)").click()
    page.get_by_label("Only notes with unhandled feedback").check()
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_text("outdated (1)")).to_have_count(0)


def test_admin_manages_tokens_and_a_curator_cannot(
    browser: Browser, server: Server, contexts: list[Any]
) -> None:
    curator = open_page(contexts, browser)
    sign_in(curator, server, server.curator)
    curator.goto(f"{server.url}/console/tokens")
    check_page(curator, "forbidden")
    assert curator.get_by_role("heading", name="Forbidden").is_visible()
    admin = open_page(contexts, browser)
    sign_in(admin, server, server.admin)

    admin.get_by_role("link", name="Tokens").click()
    admin.get_by_label("Name").fill("Night desk")
    admin.get_by_role("button", name="Create token").click()
    secret = admin.get_by_label("Secret").input_value()
    check_page(admin, "tokens")
    newcomer = open_page(contexts, browser)
    sign_in(newcomer, server, secret)
    admin.goto(f"{server.url}/console/tokens")
    admin.get_by_role("button", name="Revoke Night desk").click()
    newcomer.goto(f"{server.url}/console/notes")

    expect(newcomer.get_by_role("heading", name="Sign in")).to_be_visible()
    assert secret not in admin.content()


def test_import_dry_run_confirm_and_report(
    browser: Browser, server: Server, contexts: list[Any], tmp_path: Path
) -> None:
    bundle = {
        "gloss": "bundle",
        "version": 1,
        "notes": [
            {
                "id": "console-imported",
                "kind": "sourcing",
                "title": "Unsourced casualty figure",
                "summary": "The article gives a casualty figure without naming any source for it.",
                "quotes": ["Turkmen border-guard has been taking high casualties"],
                "status": "draft",
            }
        ],
    }
    file = tmp_path / "bundle.json"
    file.write_text(json.dumps(bundle), encoding="utf-8")
    page = open_page(contexts, browser)
    sign_in(page, server, server.curator)

    page.get_by_role("link", name="Import").click()
    page.get_by_label("A Gloss bundle").set_input_files(str(file))
    page.get_by_role("button", name="Check (dry run)").click()
    expect(
        page.get_by_role("heading", name="Dry run: nothing written yet (bundle)")
    ).to_be_visible()
    check_page(page, "import-dry-run")
    page.get_by_role("button", name="Confirm import").click()

    expect(page.get_by_role("heading", name="Imported (bundle)")).to_be_visible()
    check_page(page, "import-done")
    page.goto(f"{server.url}/console/notes/console-imported")
    expect(page.get_by_label("Title")).to_have_value("Unsourced casualty figure")


HOSTILE = '<script>alert("console")</script><img src=x onerror=alert(1)>'


def test_hostile_input_renders_inert_at_phone_width(
    browser: Browser, server: Server, contexts: list[Any]
) -> None:
    page = open_page(contexts, browser, width=390)
    sign_in(page, server, server.curator)
    new_claim(page, server, f"Hostile {HOSTILE}")
    page.get_by_label("Summary (the card text").fill(f"Summary text {HOSTILE}")
    page.get_by_label("Sources").fill(f"{HOSTILE} | javascript:alert(1)")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#f-sources-error")).to_be_visible()
    expect(page.locator("[data-preview-card] .title")).to_have_text(f"Hostile {HOSTILE}")
    page.get_by_label("Sources").fill(f"{HOSTILE} | https://example.org/x")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    check_page(page, "phone-hostile")
    page.goto(f"{server.url}/console/notes?q=hostile")

    expect(page.get_by_role("link", name=f"Hostile {HOSTILE}")).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("document.scripts.length") == 1  # console.js only
