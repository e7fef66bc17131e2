"""Wikitext to readable plain text, with mwparserfromhell doing the parsing.

A Perennial sources row is MediaWiki markup: links, ``''italics''``, templates such as
``{{pslink|Fox News (talk shows)}}``, footnotes, comments and entities. Readers get the words a
browser would show: link labels, template text where it is prose, nothing of footnotes,
references or shortcut boxes.
"""

from __future__ import annotations

from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

# Templates that add nothing a reader of the card needs (footnotes, citations, shortcut boxes).
_DROPPED = {
    "efn", "efl", "refn", "ref", "sfn", "cn", "citation needed", "cite web", "cite news",
    "cite journal", "cite book", "wp:rspshortcut", "rspshortcut", "shortcut mini", "anchor",
    "rsnl", "sbll", "wp:rspstatus", "wp:rsplast", "wp:rspuses", "duses",
}  # fmt: skip
# Templates that stand for a fixed piece of text.
_LITERAL = {
    "'": "'", "'s": "'s", "--": "—", "snd": " – ", "ndash": "–", "mdash": "—", "nbsp": " ",
    "spaced ndash": " – ", "-": "", "—": "—",
}  # fmt: skip
# Templates whose n-th positional parameter is the text (1-based).
_PARAMETER = {"lang": 2, "tl": 1, "u": 1, "pslink": 1, "tq": 1, "q": 1, "nowrap": 1, "ill": 1}
_DROPPED_TAGS = {"ref", "references", "sup"}


def parse(text: str) -> Wikicode:
    """Parse wikitext (a wrapper so callers need not import the parser)."""
    return mwparserfromhell.parse(text)


def plain(code: Wikicode | str) -> str:
    """The readable text of wikitext, on one line with single spaces."""
    if isinstance(code, str):
        code = parse(code)
    return " ".join(_text(code).split())


def _text(code: Any) -> str:
    return "".join(_node(node) for node in code.nodes)


def _node(node: Any) -> str:
    if isinstance(node, Text):
        return str(node.value)
    if isinstance(node, Wikilink):
        return _wikilink(node)
    if isinstance(node, Template):
        return _template(node)
    if isinstance(node, Tag):
        return _tag(node)
    if isinstance(node, HTMLEntity):
        return str(node.normalize()).replace("\xa0", " ")
    if isinstance(node, ExternalLink):
        return _text(node.title) if node.title else ""
    if isinstance(node, Heading):
        return _text(node.title)
    if isinstance(node, Comment):
        return ""
    return ""  # arguments ({{{1}}}) and anything else carry no prose


def _wikilink(link: Wikilink) -> str:
    title = str(link.title).strip()
    if title.lower().startswith(("file:", "image:", "category:")):
        return ""  # an embedded image or a category tag, not a link in the prose
    if link.text is not None:
        return _text(link.text)
    page, _, section = title.lstrip(":").partition("#")
    return page or section


def _template(template: Template) -> str:
    name = " ".join(str(template.name).split()).lower()
    if name in _LITERAL:
        return _LITERAL[name]
    if name in _DROPPED:
        return ""
    positional = [p for p in template.params if not p.showkey]
    wanted = _PARAMETER.get(name, 1 if len(positional) == 1 else 0)
    if 0 < wanted <= len(positional):
        return _text(positional[wanted - 1].value)
    return ""


def _tag(tag: Tag) -> str:
    name = str(tag.tag).lower()
    if name in _DROPPED_TAGS:
        return ""
    if name in ("br", "hr"):
        return " "
    return _text(tag.contents) if tag.contents is not None else ""
