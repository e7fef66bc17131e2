""" "Try it": which anchors one note (saved or not) gets on a page, from which tier, with scores.

The note's quotes and names go into a ``QuoteIndex`` and ``AliasIndex`` of their own — the same
engine and acceptance rule the catalog uses for readers — so what a curator sees here is what
readers will get once the note is published. Nothing is stored; the text is dropped afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from server.matching import AliasIndex, Passage, QuoteIndex
from server.pages import passages_from
from server.schemas import NoteFields

TIERS = {
    "host": "publisher recognised from the page's address (a banner card, no highlight)",
    "exact": "quote found word for word",
    "fuzzy": "quote found with small differences (accepted: readers see it)",
    "partial": "part of a quote found (not accepted: readers do not see it)",
    "name": "publisher named in the text",
}


@dataclass(frozen=True, slots=True)
class TryAnchor:
    """One place the note anchors; ``quote`` is the 1-based quote number (None for names)."""

    tier: str
    passage: int
    start: int
    end: int
    exact: str
    score: float
    quote: int | None = None

    @property
    def shown_to_readers(self) -> bool:
        return self.tier != "partial"


def passages_of(text: str) -> list[Passage]:
    """A pasted page (text or HTML) as the passages a client would send."""
    return [Passage(f"p{i}", t) for i, t in enumerate(passages_from(text))]


def try_note(note: NoteFields, passages: list[Passage], url: str | None = None) -> list[TryAnchor]:
    """Every anchor ``note`` gets on the page, in page order (host matches first)."""
    found: list[TryAnchor] = []
    if url and note.kind == "publisher" and _hosted(note.domains, url):
        found.append(TryAnchor("host", -1, 0, 0, "", 100.0))
    order = {p.id: i for i, p in enumerate(passages)}
    text = {p.id: p.text for p in passages}
    quotes = QuoteIndex()
    for number, quote in enumerate(note.quotes, start=1):
        quotes.add(number, quote)
    for match in quotes.match(passages) if note.quotes else []:
        tier = "partial" if match.partial else "exact" if match.score >= 100 else "fuzzy"
        for span in match.spans:
            exact = text[span.passage_id][span.start : span.end]
            found.append(
                TryAnchor(
                    tier,
                    order[span.passage_id],
                    span.start,
                    span.end,
                    exact,
                    round(match.score, 1),
                    int(match.key),  # type: ignore[call-overload]
                )
            )
    if note.kind == "publisher" and note.aliases:
        names = AliasIndex()
        for alias in note.aliases:
            names.add("note", alias)
        for mention in names.match(passages):
            span = mention.span
            exact = text[span.passage_id][span.start : span.end]
            found.append(
                TryAnchor("name", order[span.passage_id], span.start, span.end, exact, 100.0)
            )
    return sorted(found, key=lambda a: (a.passage, a.start))


def _hosted(domains: list[str], url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels) - 1))
