"""Publisher cards for a page's host, and the imported data every card carries.

The host names one outlet, however many notes speak about it (a curated note, the
perennial-sources rows for each topic, a rating set's note): they make one card, with each
source's view, rating and credit (see ``server.importers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from server.services.anchors import Card, CardSource, card


class ImportedSource(CardSource, Protocol):
    """A card's note with the imported fields (``catalog.CardNote``)."""

    @property
    def provenance(self) -> dict[str, Any] | None: ...
    @property
    def reliability(self) -> dict[str, Any] | None: ...
    @property
    def ratings(self) -> tuple[dict[str, Any], ...]: ...
    @property
    def rating_only(self) -> bool: ...


def credit(note: CardSource) -> dict[str, Any]:
    """The card fields of imported data: empty lists for a curated note."""
    provenance = getattr(note, "provenance", None)
    return {
        "provenance": [provenance] if provenance else [],
        "reliability": [_view(note)] if getattr(note, "reliability", None) else [],
        "ratings": [dict(r) for r in getattr(note, "ratings", ())],
    }


def _view(note: CardSource) -> dict[str, Any]:
    return {
        **(getattr(note, "reliability", None) or {}),
        "note_id": note.id,
        "summary": note.summary,
    }


def publisher_cards(notes: Sequence[ImportedSource]) -> list[Card]:
    """One card for the notes a page's host matched, with each source's view on it.

    The host names one outlet, however many notes speak about it: a curated note, the
    perennial-sources rows for each topic, a rating set's minimal note. Showing each as a card
    would repeat the outlet; one card carries every view, rating and credit instead.
    """
    return [_merged(list(notes))] if notes else []


def _merged(group: list[ImportedSource]) -> Card:
    """The card of the group's lead note (a curated one first), with every note's view."""
    lead = min(group, key=lambda n: (n.provenance is not None, n.rating_only, n.id))
    merged = card(lead, [])
    for note in group:
        if note is lead:
            continue
        for source in note.sources:
            if dict(source) not in merged["sources"]:
                merged["sources"].append(dict(source))
        if note.provenance and note.provenance not in merged["provenance"]:
            merged["provenance"].append(note.provenance)
        if note.reliability:
            merged["reliability"].append(_view(note))
        merged["ratings"].extend(r for r in note.ratings if r not in merged["ratings"])
    outlet = (lead.reliability or {}).get("outlet")
    if outlet and len(merged["reliability"]) > 1:
        merged["title"] = outlet  # the card speaks for the outlet, each view for its topic
    return merged
