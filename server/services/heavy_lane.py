"""Load shedding by cost: large match bodies take one of a few slots, or are refused at once.

A page's cost grows with its size, and a hostile site can make every reader's extension send
2 MB of it, from as many addresses as it has readers: rate limits per address cannot stop
that. So a match is classed *heavy* from its ``Content-Length`` alone, before anything is
parsed or tokenized (``GLOSS_HEAVY_MATCH_BYTES``; the 14,000-word article is a tenth of the
default). A heavy match must take a slot: one per worker, and ``GLOSS_HEAVY_MATCHES`` for the
whole server, shared by its workers through lock files (``flock``, released by the kernel if
a worker dies). When none is free the request is answered 503 with ``Retry-After`` at once,
never queued, so ordinary pages never wait behind large ones. A heavy match that runs gets
the smaller ``GLOSS_HEAVY_MATCH_BUDGET_MS``, runs at a third of a core
(``server.matching.budget.HEAVY``) and reads only as many characters as the largest ordinary
body could hold (``within_reach``), by the quote tier only (``quote_tier_only``); the answer
is then marked partial.

The lock files live in the directory gunicorn's configuration makes for its workers
(``GLOSS_HEAVY_SLOTS_DIR``); without it (tests, ``flask run``) the slots are the process's own.

After a heavy match the worker hands the memory it freed back to the system
(``server.memory``): a 2 MB page needs tens of MB while it is read, and without this each
worker kept them (RSS +20 % after a dozen such pages, for nothing).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from server.matching import Passage
from server.memory import return_freed_memory

SLOTS_DIR_VARIABLE = "GLOSS_HEAVY_SLOTS_DIR"
"""Set by ``server/gunicorn_conf.py`` to a fresh directory shared by one server's workers."""


@dataclass(frozen=True, slots=True)
class Admission:
    """What the lane decided for one request: whether it is heavy (it then holds a slot)."""

    heavy: bool


class HeavyLane:
    """Slots for heavy matches: one per worker, ``slots`` per server; safe across threads."""

    def __init__(self, threshold_bytes: int, slots: int, directory: Path | None) -> None:
        self.threshold_bytes = threshold_bytes
        self._worker = threading.Lock()
        self._local = threading.BoundedSemaphore(slots)
        self._paths = (
            [directory / f"heavy-match-{n}.lock" for n in range(slots)] if directory else []
        )

    @classmethod
    def for_server(cls, threshold_bytes: int, slots: int) -> HeavyLane:
        """The lane of this server: shared with its other workers when gunicorn runs them."""
        shared = os.environ.get(SLOTS_DIR_VARIABLE)
        return cls(threshold_bytes, slots, Path(shared) if shared else None)

    @property
    def busy(self) -> bool:
        """Whether this worker's heavy slot is taken now (for tests and diagnostics)."""
        return self._worker.locked()

    def is_heavy(self, content_length: int | None) -> bool:
        """Whether a body of ``content_length`` bytes (unknown: assume the worst) is heavy."""
        return content_length is None or content_length >= self.threshold_bytes

    @contextmanager
    def admit(self, content_length: int | None) -> Iterator[Admission | None]:
        """Hold a slot for the block if the body is heavy; ``None`` when no slot is free."""
        if not self.is_heavy(content_length):
            yield Admission(heavy=False)
            return
        if not self._worker.acquire(blocking=False):
            yield None
            return
        try:
            with self._server_slot() as held:
                yield Admission(heavy=True) if held else None
        finally:
            return_freed_memory()
            self._worker.release()

    @contextmanager
    def _server_slot(self) -> Iterator[bool]:
        if not self._paths:
            held = self._local.acquire(blocking=False)
            try:
                yield held
            finally:
                if held:
                    self._local.release()
            return
        for path in self._paths:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                yield True
            finally:
                os.close(fd)  # closing the descriptor releases the lock
            return
        yield False


def within_reach(passages: Sequence[Passage], chars: int) -> tuple[list[Passage], bool]:
    """The page up to its first ``chars`` characters (a passage that crosses the limit is cut
    there, so offsets stay those of the text as sent), and whether anything was left out."""
    kept: list[Passage] = []
    room = chars
    for passage in passages:
        if len(passage.text) > room:
            if room:
                kept.append(Passage(passage.id, passage.text[:room]))
            return kept, True
        kept.append(passage)
        room -= len(passage.text)
    return kept, False


def quote_tier_only(tiers: Sequence[str]) -> tuple[list[str], bool]:
    """The tiers a heavy page is matched with, and whether one was left out. The reworded
    tier takes the index lock once per sentence: a page of thousands of short sentences kept
    every reader's own sentences waiting for that lock (a reader's p50 ×2.3 in one worker)."""
    kept = [tier for tier in tiers if tier != "reworded"]
    return kept, len(kept) < len(tiers)
