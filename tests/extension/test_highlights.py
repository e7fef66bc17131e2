"""Highlights cover exactly the anchored text, and only readable passages are ever sent."""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import Page

from .conftest import Extension, highlighted
from .pages import KHALIMOV, SECRET_MARKERS, XINJIANG


def test_highlights_cover_exactly_the_text_of_every_anchor(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"

    page.goto(url)
    _, state = ext.tab_state(url)

    anchors = Counter(a["exact"] for card in state["cards"] for a in card["anchors"])
    assert Counter(h["text"] for h in highlighted(page)) == anchors
    assert any(KHALIMOV.rstrip(".") in exact for exact in anchors)
    assert any("Russian-lead SCTO military alliance" in exact for exact in anchors)
    assert any("witnesses reporting mass beheadings" in exact for exact in anchors)
    kinds = {h["text"][:40]: h["kind"] for h in highlighted(page)}
    assert kinds[KHALIMOV[:40]] == "claim"
    assert kinds["South Front"] == "publisher"
    assert state["orphans"] == []


def test_navigation_footer_aside_hidden_and_form_text_is_never_sent(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/article.html"

    page.goto(f"{url}?utm_source=mail&token=abc#section-2")
    ext.tab_state(url + "?utm_source=mail&token=abc")

    assert len(ext.match_bodies) == 1
    body = ext.match_bodies[0]
    assert set(body) == {"url", "passages", "tiers"}
    assert body["tiers"] == ["quote"]  # reworded cards are asked for apart (test_reworded.py)
    assert body["url"] == url
    sent = " ".join(p["text"] for p in body["passages"])
    assert [m for m in SECRET_MARKERS if m in sent] == []
    assert "Foreign Policy Diary" in sent
    assert all(set(p) == {"id", "text"} for p in body["passages"])


def test_offsets_survive_emoji_and_combining_marks(ext: Extension, page: Page, site: str) -> None:
    url = f"http://127.0.0.1:{site}/emoji.html"

    page.goto(url)
    _, state = ext.tab_state(url)

    texts = [h["text"] for h in highlighted(page)]
    assert any(KHALIMOV.rstrip(".") in text for text in texts)
    assert any(XINJIANG.rstrip(".") in text for text in texts)
    sent = {p["id"]: p["text"] for p in ext.match_bodies[0]["passages"]}
    for card in state["cards"]:
        for anchor in card["anchors"]:
            # The server counts code points; the page's JavaScript counts UTF-16 units.
            text = sent[anchor["passage_id"]]
            assert text[anchor["start"] : anchor["end"]] == anchor["exact"]
            assert len(text.encode("utf-16-le")) // 2 > len(text)


def test_inline_marks_fallback_wraps_exactly_the_anchored_text(
    ext: Extension, page: Page, site: str
) -> None:
    ext.configure(mode="all", highlighter="marks")
    url = f"http://127.0.0.1:{site}/emoji.html"
    page.goto(url)
    before = page.evaluate("document.querySelector('main').innerText")

    _, state = ext.tab_state(url)
    marks = page.evaluate(
        """() => {
          const groups = [];
          let current = null;
          for (const m of document.querySelectorAll('mark.gloss-mark')) {
            const joined = current && current.last.nextSibling === m;
            if (!joined) { current = {text: '', last: null}; groups.push(current); }
            current.text += m.textContent; current.last = m;
          }
          return groups.map(g => g.text);
        }"""
    )

    assert Counter(marks) == Counter(a["exact"] for c in state["cards"] for a in c["anchors"])
    assert page.evaluate("[...CSS.highlights.keys()].filter(k => k.startsWith('gloss-'))") == []
    assert page.evaluate("document.querySelector('main').innerText") == before


def test_content_added_later_is_checked_without_resending_earlier_passages(
    ext: Extension, page: Page, site: str
) -> None:
    url = f"http://127.0.0.1:{site}/hostile.html"
    page.goto(url)
    ext.tab_state(url)
    first = {p["text"] for p in ext.match_bodies[0]["passages"]}

    page.evaluate(
        """(text) => {
          const p = document.createElement('p');
          p.textContent = text;
          document.querySelector('main').append(p);
          const q = document.createElement('p');
          q.textContent = document.querySelector('main p').textContent;
          document.querySelector('main').append(q);
        }""",
        XINJIANG,
    )
    ext.wait_until(lambda: len(ext.match_bodies) == 2, what="a second match request")

    later = [p["text"] for p in ext.match_bodies[1]["passages"]]
    assert later == [XINJIANG]
    assert not first & set(later)
    ext.wait_until(
        lambda: any(h["text"].startswith(XINJIANG[:20]) for h in highlighted(page)),
        what="the later passage to be highlighted",
    )
