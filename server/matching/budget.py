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
from dataclasses import dataclass

CHECK_EVERY = 0.05
"""Seconds of wall time between two asks of the ``client_gone`` callback."""


@dataclass(frozen=True, slots=True)
class Pace:
    """How a match yields: past ``full_speed`` CPU seconds it sleeps ``pause`` after every
    ``slice`` of CPU time, giving the GIL and the core to other requests, so a costly page
    slows itself rather than its neighbours."""

    full_speed: float
    slice: float
    pause: float


ORDINARY = Pace(full_speed=0.05, slice=0.01, pause=0.01)
"""Every ordinary page is done within 50 ms at full speed; a longer one goes at half speed."""
HEAVY = Pace(full_speed=0.0, slice=0.004, pause=0.008)
"""A heavy page (a large body) runs at a third of a core from the start, in slices shorter than
the interpreter's 5 ms switch interval, so a reader's thread waiting for the GIL is not kept
waiting for a whole switch interval behind it."""


class Cancelled(Exception):
    """The client that asked for this work is gone; stop and answer nothing."""


class Budget:
    """CPU seconds one match may spend; ``spent()`` turns true once and stays true."""

    def __init__(
        self,
        cpu_seconds: float | None,
        client_gone: Callable[[], bool] | None = None,
        pace: Pace = ORDINARY,
    ) -> None:
        started = time.thread_time()
        self._pace = pace
        self._limit = None if cpu_seconds is None else started + cpu_seconds
        self._next_pause = None if cpu_seconds is None else started + pace.full_speed
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
            time.sleep(self._pace.pause)
            self._next_pause = used + self._pace.slice
        return self.cut
