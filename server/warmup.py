"""Warming a worker's match index in the background, and saying so until it is ready.

A new or restarted gunicorn worker used to load its whole index on its first request: the
reader who sent it, and every request behind it in the catalog lock, waited seconds (12 s at
100k notes), and so did the health check. Instead the worker starts loading as soon as it is
up (gunicorn's ``post_worker_init``, see ``gunicorn_conf.py``) on a thread of its own. Until
the index is ready, ``/v1/health`` answers 503 ``{"status": "warming"}`` (so load balancers
and Docker's health check send readers elsewhere) and a match waits at most
``MATCH_WAIT_SECONDS`` for it, then gets 503 with ``Retry-After`` rather than a long stall.

Apps made without gunicorn (tests, ``gloss match``) never warm in the background: their
catalog loads on first use, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import cast

from flask import Flask, current_app, request

from server.errors import ApiError
from server.services import match_metrics
from server.services.catalog import Catalog

log = logging.getLogger(__name__)

MATCH_WAIT_SECONDS = 1.0
"""How long a match waits for a warming index before it is told to come back."""
RETRY_SECONDS = 1.0
"""Pause before trying again when loading failed (the database was unreachable, say)."""
WARMING_ENDPOINTS = frozenset({"match.post_match"})
WARMUP_URL = "https://warmup.invalid/"


class Warming(ApiError):
    code, slug, title = 503, "warming", "Warming up"

    def __init__(self) -> None:
        super().__init__(
            "This worker is still loading its match index; retry in a moment.",
            headers={"Retry-After": "2"},
        )


class Warmup:
    """One worker's background load of its catalog; idle (and ready) until started."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._ready = threading.Event()
        self._ready.set()
        self.seconds: float | None = None

    @property
    def warming(self) -> bool:
        return not self._ready.is_set()

    def start(self) -> None:
        """Load the catalog on a daemon thread; ``warming`` until it has loaded once."""
        self._ready.clear()
        threading.Thread(target=self._load, name="gloss-warmup", daemon=True).start()

    def wait(self, timeout: float) -> bool:
        """Whether the index is ready, waiting at most ``timeout`` seconds for it."""
        return self._ready.wait(timeout)

    def _load(self) -> None:
        started = time.monotonic()
        while True:
            try:
                # Matching nothing builds the index the refresh queued (it is built lazily,
                # on the first match), so the first reader does not pay for it.
                self._catalog.match(WARMUP_URL, [])
                break
            except Exception:  # the database may not be up yet: keep trying, keep warming
                log.warning("index warm-up failed; retrying", exc_info=True)
                time.sleep(RETRY_SECONDS)
        self.seconds = time.monotonic() - started
        catalog = self._catalog
        log.info(
            "match index warm in %.2f s (%d notes, %d read from the database)",
            self.seconds,
            catalog.published_count,
            catalog.rows_read,
        )
        match_metrics.observe_index(
            catalog.generation, catalog.published_count, catalog.index_bytes, catalog.rows_read
        )
        self._ready.set()


def warmup() -> Warmup:
    return cast(Warmup, current_app.extensions["gloss.warmup"])


def init_app(app: Flask, catalog: Catalog) -> None:
    """Attach a (not yet started) warm-up, and hold matches briefly while it runs."""
    app.extensions["gloss.warmup"] = Warmup(catalog)

    @app.before_request
    def _hold_while_warming() -> None:
        if request.endpoint in WARMING_ENDPOINTS and not warmup().wait(MATCH_WAIT_SECONDS):
            raise Warming()


def start(app: Flask) -> None:
    """Begin warming ``app``'s index (gunicorn calls this in each new worker)."""
    cast(Warmup, app.extensions["gloss.warmup"]).start()
