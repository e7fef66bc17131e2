"""Each worker's in-memory view of the published notes, and matching a page against it.

The index lives in process memory for speed. Before each match the catalog asks the database
for the current generation (one indexed single-row read) and, when it moved, applies only the
notes written since: a note published through any worker is matched by every worker on its
next request, with no full rebuild.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from server.errors import DatabaseUnavailable
from server.matching import AliasIndex, Passage, QuoteIndex
from server.store import Database
from server.store import notes as note_store
from server.store.models import Note

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CardNote:
    """The part of a published note that a card shows."""

    id: str
    kind: str
    title: str
    summary: str
    rating: str | None
    sources: tuple[dict[str, str], ...]
    quote_count: int
    domains: tuple[str, ...]
    provenance: dict[str, Any] | None = None
    reliability: dict[str, Any] | None = None
    ratings: tuple[dict[str, Any], ...] = ()
    rating_only: bool = False  # a minimal note made by a rating set (see importers.ratings)

    @classmethod
    def of(cls, note: Note) -> CardNote:
        return cls(
            id=note.id,
            kind=note.kind,
            title=note.title,
            summary=note.summary,
            rating=note.rating,
            sources=tuple({"title": s["title"], "url": s["url"]} for s in note.sources),
            quote_count=len(note.quotes),
            domains=tuple(note.domains),
            provenance=note.provenance,
            reliability=note.reliability,
            ratings=tuple(note.ratings or ()),
            rating_only=note.import_source == "domain-ratings",
        )


Anchor = dict[str, Any]
CONTEXT_CHARS = 32  # TextQuoteSelector prefix/suffix length, as Hypothesis stores
Card = dict[str, Any]


class Catalog:
    """Published notes indexed for matching; safe to share between a worker's threads."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._lock = threading.RLock()
        self._generation = -1
        self._notes: dict[str, CardNote] = {}
        self._quotes = QuoteIndex()
        self._aliases = AliasIndex()
        self._domains: dict[str, set[str]] = {}

    @property
    def published_count(self) -> int:
        return len(self._notes)

    def refresh(self) -> None:
        """Catch up with every note write committed since the last refresh."""
        with self._db.session() as session:
            current = note_store.current_generation(session)
            if current == self._generation:
                return
            with self._lock:
                if current < self._generation:  # a restored backup: start again from nothing
                    log.warning("catalog generation went back to %d; reloading", current)
                    self._reset()
                changes = note_store.changes_since(session, self._generation)
                for note_id in changes.purged:
                    self._forget(note_id)
                for note in changes.notes:
                    self._forget(note.id)
                    if note.status == "published":
                        self._learn(note)
                self._generation = max(self._generation, changes.generation)

    def _reset(self) -> None:
        self._generation = -1
        self._notes = {}
        self._quotes = QuoteIndex()
        self._aliases = AliasIndex()
        self._domains = {}

    def _forget(self, note_id: str) -> None:
        card = self._notes.pop(note_id, None)
        if card is None:
            return
        for number in range(card.quote_count):
            self._quotes.remove((note_id, number))
        self._aliases.remove(note_id)
        for domain in card.domains:
            owners = self._domains.get(domain)
            if owners:
                owners.discard(note_id)
                if not owners:
                    del self._domains[domain]

    def _learn(self, note: Note) -> None:
        card = CardNote.of(note)
        self._notes[note.id] = card
        for number, quote in enumerate(note.quotes):
            self._quotes.add((note.id, number), quote)
        for alias in note.aliases:
            self._aliases.add(note.id, alias)
        for domain in card.domains:
            self._domains.setdefault(domain, set()).add(note.id)

    def refresh_or_keep(self) -> None:
        """Refresh; if the database is unreachable, keep serving the index already loaded."""
        try:
            self.refresh()
        except SQLAlchemyError:
            if self._generation < 0:
                raise DatabaseUnavailable("The notes database cannot be reached.") from None
            log.warning("database unreachable; matching with generation %d", self._generation)

    def match(self, url: str, passages: Sequence[Passage]) -> list[Card]:
        """Cards for a page: publishers first (host before mentions), then others in page order."""
        self.refresh_or_keep()
        with self._lock:
            quote_matches = self._quotes.match(passages)
            mentions = self._aliases.match(passages)
            hosted = self._publishers_for(url)
            found_ids = {str(m.key[0]) for m in quote_matches}  # type: ignore[index]
            found_ids |= {str(m.key) for m in mentions} | hosted
            notes = {n: self._notes[n] for n in found_ids if n in self._notes}

        spans: dict[str, dict[Where, float]] = {}
        for match in quote_matches:
            if not match.partial:
                note_id = str(match.key[0])  # type: ignore[index]
                for span in match.spans:
                    _keep_best(spans, note_id, (span.passage_id, span.start, span.end), match.score)
        for mention in mentions:
            if mention.key not in hosted:
                where = (mention.span.passage_id, mention.span.start, mention.span.end)
                _keep_best(spans, str(mention.key), where, 100.0)

        page = _PageOrder(passages)
        host_cards = publisher_cards([notes[n] for n in sorted(hosted) if n in notes])
        anchored = [
            _card(notes[note_id], page.anchors(found))
            for note_id, found in spans.items()
            if note_id in notes
        ]
        anchored.sort(key=lambda card: (card["kind"] != "publisher", page.position(card)))
        return host_cards + anchored

    def _publishers_for(self, url: str) -> set[str]:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        labels = host.split(".")
        found: set[str] = set()
        for i in range(len(labels) - 1):
            found |= self._domains.get(".".join(labels[i:]), set())
        return found


Where = tuple[str, int, int]  # passage id, start, end


def _keep_best(
    spans: dict[str, dict[Where, float]], note_id: str, where: Where, score: float
) -> None:
    """Record a span for a note; the same span found twice keeps its best score."""
    found = spans.setdefault(note_id, {})
    found[where] = max(score, found.get(where, 0.0))


class _PageOrder:
    """Sorting and rendering anchors in the order of the page's passages."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._index = {passage.id: i for i, passage in enumerate(passages)}
        self._text = {passage.id: passage.text for passage in passages}

    def anchors(self, found: dict[Where, float]) -> list[Anchor]:
        """One anchor per stretch of text: of overlapping spans, the best-scoring longest wins."""
        kept: list[tuple[Where, float]] = []
        best_first = sorted(found.items(), key=lambda item: (-item[1], item[0][1] - item[0][2]))
        for (pid, start, end), score in best_first:
            if not any(p == pid and s < end and start < e for (p, s, e), _ in kept):
                kept.append(((pid, start, end), score))
        kept.sort(key=lambda item: (self._index[item[0][0]], item[0][1]))
        return [self._anchor(pid, start, end, score) for (pid, start, end), score in kept]

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


def _card(note: CardNote, anchors: list[Anchor]) -> Card:
    return {
        "note_id": note.id,
        "kind": note.kind,
        "title": note.title,
        "summary": note.summary,
        "rating": note.rating,
        "sources": [dict(s) for s in note.sources],
        "anchors": anchors,
        "provenance": [note.provenance] if note.provenance else [],
        "reliability": [_view(note)] if note.reliability else [],
        "ratings": [dict(r) for r in note.ratings],
    }


def _view(note: CardNote) -> dict[str, Any]:
    return {**(note.reliability or {}), "note_id": note.id, "summary": note.summary}


def publisher_cards(notes: Sequence[CardNote]) -> list[Card]:
    """One card for the notes a page's host matched, with each source's view on it.

    The host names one outlet, however many notes speak about it: a curated note, the
    perennial-sources rows for each topic, a rating set's minimal note. Showing each as a card
    would repeat the outlet; one card carries every view, rating and credit instead.
    """
    return [_merged(list(notes))] if notes else []


def _merged(group: list[CardNote]) -> Card:
    """The card of the group's lead note (a curated one first), with every note's view."""
    lead = min(group, key=lambda n: (n.provenance is not None, n.rating_only, n.id))
    card = _card(lead, [])
    for note in group:
        if note is lead:
            continue
        for source in note.sources:
            if dict(source) not in card["sources"]:
                card["sources"].append(dict(source))
        if note.provenance and note.provenance not in card["provenance"]:
            card["provenance"].append(note.provenance)
        if note.reliability:
            card["reliability"].append(_view(note))
        card["ratings"].extend(r for r in note.ratings if r not in card["ratings"])
    outlet = (lead.reliability or {}).get("outlet")
    if outlet and len(card["reliability"]) > 1:
        card["title"] = outlet  # the card speaks for the outlet, each view for its topic
    return card
