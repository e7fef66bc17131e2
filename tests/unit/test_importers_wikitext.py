"""Wikitext to plain text: what a reader of the card sees of each kind of markup."""

from __future__ import annotations

import pytest

from server.importers.wikitext import plain


@pytest.mark.parametrize(
    ("wikitext", "text"),
    [
        ("plain words", "plain words"),
        ("a [[Harbor Ledger]] story", "a Harbor Ledger story"),
        ("a [[Harbor Ledger (newspaper)|Ledger]] story", "a Ledger story"),
        ("see [[#Quill Weekly|the entry]] above", "see the entry above"),
        ("see [[:Category:Papers]] and [[File:x.png|thumb]]", "see Category:Papers and"),
        ("''italic'' and '''bold''' words", "italic and bold words"),
        ("See also: {{pslink|Quill Weekly (politics)}}.", "See also: Quill Weekly (politics)."),
        ("two {{snd}} parts", "two – parts"),
        ("the writer{{'s}} desk", "the writer's desk"),
        ("fact.{{efn|A footnote.}} Next", "fact. Next"),
        ("fact.<ref>Someone, 2020.</ref> Next", "fact. Next"),
        ("a<!-- note to editors --> b", "a b"),
        ("one&nbsp;two &amp; three", "one two & three"),
        ("say {{tq|this exact thing}} here", "say this exact thing here"),
        ("{{lang|fr|le journal}} daily", "le journal daily"),
        ("[https://example.org the site] and [https://example.org]", "the site and"),
        ("line one<br />line two", "line one line two"),
        ("{{cite web|url=https://example.org|title=T}} after", "after"),
    ],
)
def test_wikitext_becomes_readable_text(wikitext: str, text: str) -> None:
    assert plain(wikitext) == text
