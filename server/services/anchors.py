"""Turning one page's matches into cards: anchors de-duplicated, capped and in page order.

Cost is what matters here: a hostile page can repeat one name or quote hundreds of
thousands of times. Spans are de-duplicated best first with ``pick_disjoint`` (O(n log n),
never pairwise), each note keeps at most ``MAX_ANCHORS_PER_NOTE`` anchors and a response at
most ``MAX_ANCHORS_PER_RESPONSE``; the response says when either cap cut something.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from server.matching import Mention, Passage, QuoteMatch
from server.matching.overlap import pick_disjoint

MAX_ANCHORS_PER_NOTE = 50
"""A card highlights at most this many places; more says nothing new to the reader."""
MAX_ANCHORS_PER_RESPONSE = 500
"""Anchors in one answer, over all cards: bounds the answer's size and the work to build it."""
CONTEXT_CHARS = 32  # TextQuoteSelector prefix/suffix length, as Hypothesis stores

Anchor = dict[str, Any]
Card = dict[str, Any]
Where = tuple[str, int, int]  # passage id, start, end


class CardSource(Protocol):
    """The part of a note that a card shows (``catalog.CardNote``)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def rating(self) -> str | None: ...
    @property
    def sources(self) -> tuple[dict[str, str], ...]: ...


@dataclass(slots=True)
class MatchResult:
    """Cards for a page, and whether the work budget (``partial``) or a cap (``capped``) cut it;
    ``reworded_unread``: sentences the reworded tier left for a later request."""

    cards: list[Card] = field(default_factory=list)
    partial: bool = False
    capped: bool = False
    reworded_unread: int = 0


def build_cards(
    passages: Sequence[Passage],
    notes: Mapping[str, CardSource],
    hosted: Iterable[str],
    quote_matches: Iterable[QuoteMatch],
    mentions: Iterable[Mention],
) -> tuple[list[Card], bool]:
    """Publishers matched by host first, then the others in page order; and whether capped."""
    hosted = set(hosted)
    spans: dict[str, dict[Where, float]] = {}
    for match in quote_matches:
        if not match.partial:
            note_id = str(match.key[0])  # type: ignore[index]
            for span in match.spans:
                keep_best(spans, note_id, (span.passage_id, span.start, span.end), match.score)
    for mention in mentions:
        if mention.key not in hosted:
            where = (mention.span.passage_id, mention.span.start, mention.span.end)
            keep_best(spans, str(mention.key), where, 100.0)

    page = PageOrder(passages)
    capped = False
    anchored = []
    for note_id, found in spans.items():
        if note_id in notes:
            anchors, cut = page.anchors(found, MAX_ANCHORS_PER_NOTE)
            capped |= cut
            anchored.append(card(notes[note_id], anchors))
    anchored.sort(key=lambda c: (c["kind"] != "publisher", page.position(c)))
    room = MAX_ANCHORS_PER_RESPONSE
    kept = []
    for each in anchored:
        if room <= 0:
            capped = True
            break
        if len(each["anchors"]) > room:
            each["anchors"] = each["anchors"][:room]
            capped = True
        room -= len(each["anchors"])
        kept.append(each)
    from server.services.publisher_cards import publisher_cards  # one card per host

    host_cards = publisher_cards([notes[n] for n in sorted(hosted) if n in notes])  # type: ignore[misc]
    return host_cards + kept, capped


def keep_best(
    spans: dict[str, dict[Where, float]], note_id: str, where: Where, score: float
) -> None:
    """Record a span for a note; the same span found twice keeps its best score."""
    found = spans.setdefault(note_id, {})
    found[where] = max(score, found.get(where, 0.0))


class PageOrder:
    """Sorting and rendering anchors in the order of the page's passages."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._index = {passage.id: i for i, passage in enumerate(passages)}
        self._text = {passage.id: passage.text for passage in passages}

    def anchors(self, found: dict[Where, float], limit: int) -> tuple[list[Anchor], bool]:
        """One anchor per stretch of text, at most ``limit``: of overlapping spans, the
        best-scoring longest wins. Also says whether the limit left some out."""
        best_first = sorted(
            found.items(),
            key=lambda item: (
                -item[1],
                item[0][1] - item[0][2],
                self._index[item[0][0]],
                item[0][1],
            ),
        )
        kept, capped = pick_disjoint(best_first, lambda item: item[0], limit)
        kept.sort(key=lambda item: (self._index[item[0][0]], item[0][1]))
        return [self._anchor(pid, start, end, score) for (pid, start, end), score in kept], capped

    def _anchor(self, pid: str, start: int, end: int, score: float) -> Anchor:
        text = self._text[pid]
        exact = text[start:end]
        selector = {
            "type": "TextQuoteSelector",
            "exact": exact,
            "prefix": text[max(0, start - CONTEXT_CHARS) : start],
            "suffix": text[end : end + CONTEXT_CHARS],
        }
        return {
            "passage_id": pid,
            "start": start,
            "end": end,
            "exact": exact,
            "score": round(score, 1),
            "selector": selector,
        }

    def position(self, card: Card) -> tuple[int, int]:
        first = card["anchors"][0]
        return self._index[first["passage_id"]], first["start"]


def card(note: CardSource, anchors: list[Anchor]) -> Card:
    from server.services.publisher_cards import credit  # imported data (server.importers)

    return {
        "note_id": note.id,
        "kind": note.kind,
        "title": note.title,
        "summary": note.summary,
        "rating": note.rating,
        "sources": [dict(s) for s in note.sources],
        "anchors": anchors,
        **credit(note),
        "match": "quote",
        "claim": None,
    }
