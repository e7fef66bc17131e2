"""A per-request allowance of CPU time for matching, and cancellation when the client leaves.

Matching is pure and its cost grows with the page: a hostile page can hold hundreds of
thousands of words that each look like the start of a match. Rather than trusting every loop
to stay cheap, each loop asks the budget whether it may go on. When the budget is spent the
engine stops where it is and returns what it found so far (the caller marks the answer
partial); when the client has gone, ``Cancelled`` ends the work at once, since nobody will
read the answer.

CPU time of the calling thread (``time.thread_time``) is what is counted, not wall time: a
match that waits for the GIL behind other requests is not penalised for their work.
"""

from __future__ import annotations

import time
from collections.abc import Callable

CHECK_EVERY = 0.05
"""Seconds of wall time between two asks of the ``client_gone`` callback."""
FULL_SPEED = 0.05
"""CPU seconds a match runs at full speed: every ordinary page is done well within it."""
SLICE, PAUSE = 0.01, 0.01
"""Past ``FULL_SPEED``, a match pauses ``PAUSE`` after every ``SLICE`` of CPU time (half speed),
giving the GIL and the core to other requests: a costly page slows itself, not its neighbours."""


class Cancelled(Exception):
    """The client that asked for this work is gone; stop and answer nothing."""


class Budget:
    """CPU seconds one match may spend; ``spent()`` turns true once and stays true."""

    def __init__(
        self, cpu_seconds: float | None, client_gone: Callable[[], bool] | None = None
    ) -> None:
        started = time.thread_time()
        self._limit = None if cpu_seconds is None else started + cpu_seconds
        self._next_pause = None if cpu_seconds is None else started + FULL_SPEED
        self._client_gone = client_gone
        self._next_check = time.monotonic() + CHECK_EVERY
        self.cut = False
        """Whether the work was cut short: the answer holds only what was found in time."""

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(None)

    def spent(self) -> bool:
        """Whether to stop now; raises ``Cancelled`` when the client has gone."""
        if self.cut:
            return True
        if self._client_gone is not None and time.monotonic() >= self._next_check:
            self._next_check = time.monotonic() + CHECK_EVERY
            if self._client_gone():
                raise Cancelled
        if self._limit is None:
            return False
        used = time.thread_time()
        if used > self._limit:
            self.cut = True
        elif self._next_pause is not None and used >= self._next_pause:
            time.sleep(PAUSE)
            self._next_pause = used + SLICE
        return self.cut
