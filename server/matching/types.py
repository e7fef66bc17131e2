"""Plain data passed in and out of the matching engine.

The engine is pure: it knows nothing of Flask, notes or the database. Callers hand it
passages and quotes identified by opaque keys and get back spans in code points.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Passage:
    """One block of page text as the client sent it."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A range of one passage, in Unicode code points: ``text[start:end]``."""

    passage_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """One occurrence of an indexed quote on the page.

    ``spans`` has one entry per passage the occurrence touches (two when a quote runs
    across adjacent passages), in page order. ``score`` is 0-100, ``coverage`` the share
    of the quote found (0-1). ``partial`` marks a truncated excerpt that does not meet
    the acceptance rule; callers that want only accepted matches drop those.
    """

    key: Hashable
    spans: tuple[Span, ...]
    score: float
    coverage: float
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A name (publisher alias) found in the text."""

    key: Hashable
    span: Span
