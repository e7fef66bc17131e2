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
from server.matching.budget import Budget
from server.matching.page import read_page
from server.semantic import RewordedMatch
from server.services.anchors import (
    MAX_ANCHORS_PER_NOTE,
    Card,
    MatchResult,
    PageOrder,
    build_cards,
    card,
)
from server.services.reworded import RewordedTier
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


TIERS = ("quote", "reworded")


class Catalog:
    """Published notes indexed for matching; safe to share between a worker's threads."""

    def __init__(
        self, database: Database, *, reworded: bool = False, cache_bytes: int = 32 << 20
    ) -> None:
        self._db = database
        self._lock = threading.RLock()
        self._generation = -1
        self._notes: dict[str, CardNote] = {}
        self._quotes = QuoteIndex()
        self._aliases = AliasIndex()
        self._domains: dict[str, set[str]] = {}
        self.reworded = RewordedTier(self._lock, cache_bytes) if reworded else None
        self.rows_read = 0
        """Note rows this process's index read from the database (a worker that inherits the
        master's index starts again from 0, see ``server.prefork``)."""

    @property
    def published_count(self) -> int:
        return len(self._notes)

    @property
    def generation(self) -> int:
        """The catalog generation this index has caught up with (-1 before the first load)."""
        return self._generation

    @property
    def index_bytes(self) -> int:
        """Bytes of the quote index's arrays (and the reworded tier's vectors)."""
        vectors = self.reworded.vector_bytes if self.reworded else 0
        return self._quotes.nbytes + vectors

    def prime(self) -> None:
        """Load every published note and build the index now, not on the first match (the
        gunicorn master does this once for all its workers, see ``server.prefork``)."""
        self.refresh()
        with self._lock:
            self._quotes.flush()

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
                self.rows_read += len(changes.notes)
                stored = (
                    self.reworded.stored_since(session, self._generation) if self.reworded else {}
                )
                for note_id in changes.purged:
                    self._forget(note_id)
                published = []
                for note in changes.notes:
                    self._forget(note.id)
                    if note.status == "published":
                        self._learn(note)
                        published.append(note)
                if self.reworded:
                    self.reworded.learn(published, stored)
                self._generation = max(self._generation, changes.generation)

    def _reset(self) -> None:
        self._generation = -1
        self._notes = {}
        self._quotes = QuoteIndex()
        self._aliases = AliasIndex()
        self._domains = {}
        if self.reworded:
            self.reworded.reset()

    def _forget(self, note_id: str) -> None:
        card = self._notes.pop(note_id, None)
        if card is None:
            return
        if self.reworded:
            self.reworded.forget(note_id)
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

    def match(
        self, url: str, passages: Sequence[Passage], tiers: Sequence[str] = TIERS
    ) -> list[Card]:
        """Cards for a page: publishers first (host before mentions), then others in page order."""
        return self.match_page(url, passages, tiers=tiers).cards

    def match_page(
        self,
        url: str,
        passages: Sequence[Passage],
        budget: Budget | None = None,
        tiers: Sequence[str] = TIERS,
    ) -> MatchResult:
        """``match`` within a work budget, saying whether the budget or a cap cut it short.

        Tokenizing and aligning run outside the lock; under it the index only hands out
        the candidates of one window of the page at a time (vectorized lookups), so one
        costly page never holds up others. ``tiers`` picks quote cards, reworded cards or
        both; the quote tier always runs (it is cheap), so that a note found by its quote is
        never also a reworded card.
        """
        self.refresh_or_keep()
        budget = budget or Budget.unlimited()
        page = read_page(passages, budget=budget)
        with self._lock:
            quotes = self._quotes
            aliases = self._aliases.frozen()
            hosted = self._publishers_for(url)
        plan = quotes.plan(page, budget, guard=self._lock)  # the lock, one window at a time
        over = MAX_ANCHORS_PER_NOTE + 1  # one more than a card shows, so the cap is noticed
        quote_matches = quotes.verify(plan, page, budget, per_quote=over)
        mentions = aliases.match_page(page, budget, per_key=over)
        found_ids = {str(m.key[0]) for m in quote_matches}  # type: ignore[index]
        found_ids |= {str(m.key) for m in mentions} | hosted
        with self._lock:
            notes = {n: self._notes[n] for n in found_ids if n in self._notes}
        cards, capped = build_cards(passages, notes, hosted, quote_matches, mentions)
        unread = 0
        if "reworded" in tiers and self.reworded is not None:
            found = {c["note_id"] for c in cards}
            cards = cards if "quote" in tiers else []
            reworded = self.reworded.match(passages, found, budget, page)
            unread = reworded.unread
            cards += self._reworded_cards(passages, reworded.matches)
            order = PageOrder(passages)
            cards.sort(
                key=lambda c: (
                    c["kind"] != "publisher",
                    bool(c["anchors"]),
                    order.position(c) if c["anchors"] else (0, 0),
                )
            )
        elif "quote" not in tiers:
            cards = []
        return MatchResult(cards, partial=budget.cut, capped=capped, reworded_unread=unread)

    def _reworded_cards(
        self, passages: Sequence[Passage], matches: Sequence[RewordedMatch]
    ) -> list[Card]:
        by_note: dict[str, list[RewordedMatch]] = {}
        for found in matches:
            by_note.setdefault(found.note_id, []).append(found)
        page = PageOrder(passages)
        cards: list[Card] = []
        for note_id, matches in by_note.items():
            note = self._notes.get(note_id)
            if note is None:
                continue
            spans = {(m.passage_id, m.start, m.end): m.score for m in matches}
            anchors, _ = page.anchors(spans, len(spans))
            made = card(note, anchors)
            made["match"] = "reworded"
            made["claim"] = matches[0].claim  # matches come best first
            cards.append(made)
        return cards

    def _publishers_for(self, url: str) -> set[str]:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        labels = host.split(".")
        found: set[str] = set()
        for i in range(len(labels) - 1):
            found |= self._domains.get(".".join(labels[i:]), set())
        return found
