"""The matching path's metrics: latency by outcome, budget cut-offs, caps, cancellations."""

from __future__ import annotations

from server import metrics
from server.matching.wordcache import NOTE_WORDS
from server.services.anchors import MatchResult

LATENCY = metrics.histogram(
    "match_seconds",
    "Time to answer POST /v1/match (parsing included), by outcome.",
    labels=("outcome",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
)
CUT_OFFS = metrics.counter(
    "match_budget_cutoffs", "Matches stopped by the work budget (answered partial)."
)
CAPPED = metrics.counter("match_capped", "Matches whose anchors were capped.")
SHED = metrics.counter(
    "match_shed", "Heavy matches refused with 503 because every heavy-match slot was taken."
)
CANCELLED = metrics.counter("match_cancelled", "Matches stopped because the client had gone.")
CACHE_BYTES = metrics.gauge(
    "word_cache_bytes", "Bytes held by the note-word cache, summed over workers."
)
INDEX_GENERATION = metrics.gauge(
    "index_generation",
    "Catalog generation the newest worker index has caught up with.",
    mode="max",
)
INDEX_NOTES = metrics.gauge(
    "index_published_notes", "Published notes in a worker's match index (the largest).", mode="max"
)

INDEX_BYTES = metrics.gauge(
    "index_bytes",
    "Bytes of a worker's match index arrays (the largest; shared between the workers of a "
    "host until one changes them).",
    mode="max",
)
INDEX_ROWS_READ = metrics.gauge(
    "index_rows_read",
    "Note rows the workers' indexes read from the database since they started (a worker that "
    "inherits the master's index reads only the notes written since).",
)


def observe_index(generation: int, published: int, nbytes: int, rows_read: int) -> None:
    """Record how far a worker's index has caught up, how large it is, and what it read."""
    INDEX_GENERATION.set(generation)
    INDEX_NOTES.set(published)
    INDEX_BYTES.set(nbytes)
    INDEX_ROWS_READ.set(rows_read)


def observe(result: MatchResult | None, seconds: float) -> None:
    """Record one match; ``None`` for one cancelled because its client left."""
    if result is None:
        CANCELLED.inc()
        LATENCY.labels(outcome="cancelled").observe(seconds)
        return
    if result.partial:
        CUT_OFFS.inc()
    if result.capped:
        CAPPED.inc()
    LATENCY.labels(outcome="partial" if result.partial else "complete").observe(seconds)
    CACHE_BYTES.set(NOTE_WORDS.nbytes)
