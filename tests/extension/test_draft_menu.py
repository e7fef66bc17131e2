""" "Draft a Gloss note": the context-menu item exists only with a console address set in the
options, and opens the console's new-note form prefilled with the selection, the page's address
(no query, fragment or credentials) and its domain."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from .conftest import ARTIFACTS, Extension

MENU_EXISTS = """() => new Promise((resolve) =>
  chrome.contextMenus.update("gloss-draft-note", {}, () => resolve(!chrome.runtime.lastError)))"""

CLICK = """async ([info, tab]) => {
  const menu = await import(chrome.runtime.getURL("background/draft-menu.js"));
  await menu.onDraftMenuClick(info, tab);
}"""


def test_draft_menu_follows_the_options_and_opens_a_prefilled_form(extension: Extension) -> None:
    extension.evaluate("chrome.storage.local.remove('draftConsole')")
    extension.wait_until(lambda: not extension.evaluate(MENU_EXISTS), what="no menu item")
    options = extension.context.new_page()
    options.goto(f"chrome-extension://{extension.ext_id}/options/options.html")
    options.get_by_label("Curator console address").fill(extension.server_url)
    options.get_by_role("button", name="Save").click()
    options.get_by_text("Draft a Gloss note: on.").wait_for()
    extension.wait_until(lambda: extension.evaluate(MENU_EXISTS), what="the menu item")
    info = {
        "menuItemId": "gloss-draft-note",
        "selectionText": "  the   selected quote\n text ",
        "pageUrl": "https://reader:secret@www.example-news.com/a/story?utm_source=x#part",
    }

    with extension.context.expect_page() as opened:
        options.evaluate(CLICK, [info, {"index": 0}])
    draft = opened.value
    draft.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)
    draft.screenshot(path=str(ARTIFACTS / "console-draft-from-extension.png"))
    options.get_by_label("Curator console address").fill("")
    options.get_by_role("button", name="Save").click()
    options.get_by_text("Draft a Gloss note: off.").wait_for()

    sent = urlsplit(draft.url)
    next_form = parse_qs(urlsplit(parse_qs(sent.query)["next"][0]).query)
    assert options.get_by_label("Curator console address").input_value() == ""
    assert sent.path == "/console/sign-in"  # not signed in yet: the form waits behind sign-in
    assert next_form == {
        "quote": ["the selected quote text"],
        "source": ["https://www.example-news.com/a/story"],
        "domain": ["example-news.com"],
    }
    extension.wait_until(lambda: not extension.evaluate(MENU_EXISTS), what="menu item removed")
    draft.close()
    options.close()
