"""A reworded card in real Chromium: asked for after the first cards, shown honestly.

The page says what the curated Xinjiang note's quote says, in other words and with no
sentence of the quote copied, so only the reworded tier can find it.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from .conftest import ARTIFACTS, PAGES, Extension, Shadow, highlighted
from .pages import STYLE
from .test_cards import click_highlight

NOTE = "xinjiang-2014-37-civilians"
REWORDED = (
    "A bloody terrorist attack in the Chinese region of Xinjiang killed 37 civilians in 2014."
)
COPIED = "In 2014 37 civilians were killed in bloody terror attack in Xinjiang, China."


def reworded_html() -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Regional security roundup</title><style>{STYLE}</style></head>
<body><main><article><h1>Regional security roundup</h1>
<p>Officials met on Tuesday to discuss border security across Central Asia.</p>
<p>{REWORDED} The region has seen repeated unrest since then.</p>
<p>Trade talks are expected to resume next month.</p>
</article></main></body></html>"""


PAGES["/reworded.html"] = reworded_html

OPEN_CARD = """(root) => {
  const card = root.querySelector('[role=dialog]');
  if (!card) return null;
  return {
    noteId: card.dataset.noteId,
    kind: card.querySelector('.kind').textContent,
    note: card.querySelector('.reworded-note')?.textContent ?? null,
    checked: card.querySelector('.checked-claim')?.textContent ?? null,
    onPage: card.querySelector('.page-sentence')?.textContent ?? null,
  };
}"""
TRIGGER_LABELS = "(root) => [...root.querySelectorAll('.trigger .sr')].map(e => e.textContent)"


def reworded_state(ext: Extension, url: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        for key, state in ext.evaluate("chrome.storage.session.get(null)").items():
            if key.startswith("tab:") and state.get("url") == url and NOTE in state["anchored"]:
                return dict(state)
        return None

    return dict(ext.wait_until(done, timeout=30, what="the reworded card to be anchored"))


def test_a_reworded_card_comes_second_and_shows_the_checked_claim_beside_the_sentence(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/reworded.html"
    page.goto(url)

    state = reworded_state(ext, url)

    assert [b.get("tiers") for b in ext.match_bodies] == [["quote"]]
    assert [b["passages"] for b in ext.reworded_bodies] == [ext.match_bodies[0]["passages"]]
    (card,) = [c for c in state["cards"] if c["note_id"] == NOTE]
    assert card["match"] == "reworded"
    assert card["claim"] == COPIED
    assert [h["text"] for h in highlighted(page)] == [REWORDED]
    assert any(
        label.startswith("Gloss note, a similar claim was fact-checked:")
        for label in Shadow(page, "gloss-stops").call(TRIGGER_LABELS)
    )
    shadow = Shadow(page)
    click_highlight(page, REWORDED[:30])
    shown = ext.wait_until(lambda: shadow.call(OPEN_CARD), what="the card to open")
    assert shown == {
        "noteId": NOTE,
        "kind": "A similar claim was fact-checked",
        "note": "Not a quote: this page says something close to a claim the note checked. Compare them:",
        "checked": COPIED,
        "onPage": REWORDED,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "extension-reworded-card.png"))
