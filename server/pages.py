"""Splitting a local text or HTML file into passages as the extension would (``gloss match``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "pre",
    "div",
    "section",
    "article",
    "header",
    "main",
    "br",
    "tr",
    "ul",
    "ol",
}
SKIPPED = {
    "script",
    "style",
    "nav",
    "footer",
    "aside",
    "noscript",
    "template",
    "form",
    "svg",
    "head",
}
VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}


class _PassageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[str] = []
        self._buffer: list[str] = []
        self._skip_depth = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.passages.append(text)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hidden = any(k == "hidden" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        if tag in VOID:
            if tag == "br":
                self._buffer.append(" ")
            return
        if self._skip_depth or tag in SKIPPED or hidden:
            self._skip_depth += 1
            return
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._skip_depth:
            self._skip_depth -= 1
            return
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def passages_from(content: str) -> list[str]:
    """Readable passages of an HTML document, or the blank-line-separated paragraphs of text."""
    if re.search(r"<(html|body|p|div|article)\b", content[:5000], re.IGNORECASE):
        parser = _PassageParser()
        parser.feed(content)
        parser.close()
        return parser.passages
    return [block.strip() for block in re.split(r"\n\s*\n", content) if block.strip()]
