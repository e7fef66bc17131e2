"""How far the imports running in this server have got, and what past imports did, as metrics.

An operator watching a large import wants to know that it moves (items done of the total),
that it commits in batches, and how much it refuses, without reading logs. Gauges cover the
imports running now and add up over the workers (``livesum``: a worker that dies takes its
share with it); counters cover every import since the server started. Labels are closed sets
(an outcome name, a kind of import): never a note id, a file name or a source URL.
"""

from __future__ import annotations

from typing import Literal

from server import metrics
from server.importers.report import Report

Outcome = Literal["created", "updated", "unchanged", "refused"]

PLANNED = metrics.gauge(
    "import_items_planned",
    "Items of the imports running now (bundle, ClaimReview, Web Annotation).",
)
DONE = metrics.gauge("import_items_done", "Items the imports running now have written or checked.")
BATCHES = metrics.counter("import_batches", "Import batches committed, by kind.", labels=("kind",))
ITEMS = metrics.counter(
    "import_items",
    "Items of finished imports by outcome (created, updated, unchanged, refused), by kind; "
    "dry runs count only refusals.",
    labels=("kind", "outcome"),
)
DOCUMENTS = "document"
"""The kind of an import of a bundle, ClaimReview or Web Annotation document."""
SOURCE = "source"
"""The kind of an import of an open-data source file (``?source=``, ``gloss import SOURCE``)."""


class ImportProgress:
    """How far the running import of a document has got (items written or checked, of the
    total); shown by the gauges until ``finish``."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._done = 0
        PLANNED.inc(total)

    @property
    def done(self) -> int:
        return self._done

    @done.setter
    def done(self, items: int) -> None:
        DONE.inc(items - self._done)
        self._done = items

    def batch_committed(self) -> None:
        BATCHES.labels(kind=DOCUMENTS).inc()

    def finish(self) -> None:
        """The import ended (done, failed or refused): it leaves the gauges."""
        PLANNED.dec(self.total)
        DONE.dec(self._done)
        self.total = self._done = 0


def count(kind: str, outcome: Outcome, items: int) -> None:
    """Add ``items`` of one outcome to the counters (nothing for none)."""
    if items:
        ITEMS.labels(kind=kind, outcome=outcome).inc(items)


def record_source(report: Report) -> None:
    """Count a finished (or stopped) source import from its report."""
    if report.batches and not report.dry_run:
        BATCHES.labels(kind=SOURCE).inc(report.batches)
    if not report.dry_run:
        count(SOURCE, "created", report.created)
        count(SOURCE, "updated", report.updated)
        count(SOURCE, "unchanged", report.unchanged)
    count(SOURCE, "refused", report.refused_count)
