"""Importers of open data: one module per source, sharing reconcile, report and progress.

``run_source`` is the one entry point (for ``gloss import SOURCE FILE`` and for
``POST /v1/import?source=…``): it reads a binary stream with the source's module and writes
the entries through ``reconcile``, which makes re-imports safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from server.importers import claimreview_feed, domain_ratings, wikipedia_rsp
from server.importers.entries import Entry, Unreadable
from server.importers.reconcile import BATCH_SIZE, ImportFailed, Plan, run
from server.importers.report import Report
from server.store import Database

SOURCES = (wikipedia_rsp.SOURCE, domain_ratings.SOURCE, claimreview_feed.SOURCE)

__all__ = ["SOURCES", "ImportFailed", "Report", "UnknownRatingSet", "Unreadable", "run_source"]


class UnknownRatingSet(ValueError):
    """A domain-ratings import named a set this server does not know."""


def _reader(
    source: str, rating_set: str | None
) -> tuple[Plan, Callable[[IO[bytes]], Iterator[Entry]]]:
    if source == wikipedia_rsp.SOURCE:
        return Plan(source, source), wikipedia_rsp.entries
    if source == claimreview_feed.SOURCE:
        return Plan(source, source), claimreview_feed.entries
    if source == domain_ratings.SOURCE:
        known = domain_ratings.KNOWN_SETS.get(rating_set or "lin2023")
        if known is None:
            names = ", ".join(sorted(domain_ratings.KNOWN_SETS))
            raise UnknownRatingSet(f"unknown rating set {rating_set!r}; known: {names}")
        plan = Plan(source, domain_ratings.SOURCE, rating_set=known.name)
        return plan, lambda stream: domain_ratings.entries(stream, known)
    raise ValueError(f"unknown source {source!r}")


def run_source(
    database: Database,
    source: str,
    stream: IO[bytes],
    *,
    dry_run: bool = False,
    rating_set: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import one source file; raises ImportFailed (with the partial report) if a batch fails."""
    plan, read = _reader(source, rating_set)

    def progress(entries: int) -> None:
        if on_progress is not None:
            on_progress(stream.tell(), entries)

    return run(
        database, plan, read(stream), dry_run=dry_run, batch_size=batch_size, on_batch=progress
    )
