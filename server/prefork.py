"""One match index per host, built in the gunicorn master and shared by its workers.

Each worker used to build its own index from the database, row by row: 8–12 s at 100k notes
before a new or restarted worker could answer, and a full copy of the index per worker. With
``preload_app`` (see ``gunicorn_conf.py``) the master builds the app and, here, its index once
before it forks; every worker starts as a copy-on-write child that already holds the index.
A worker restarted later forks from the same master in milliseconds and catches up with the
notes written since the master's build (the catalog's usual incremental refresh), so it
answers its first match at once; health says ``warming`` only while that catch-up runs.

Copy-on-write shares pages until someone writes to them. The index's bulk is numpy arrays
that matching only reads; ``gc.freeze`` before each fork keeps the cyclic garbage collector
from writing to the header of every inherited Python object (which would copy nearly every
page into each worker). Pages a worker changes later (new notes, a compaction) become its
own: memory grows per worker with churn, and returns to shared at the next restart.

Why not a memory-mapped snapshot file: the numpy arrays are only part of a worker's index
(155 MiB of 2.3 GB at 1M quotes); the cards, keys and vocabulary are Python objects that a
file cannot share without rewriting the matcher around flat arrays, while a fork shares them
all, and a restarted worker inherits the whole index instead of reading a file.

Anything that must not cross a fork is closed here: the master's database connections are
returned before forking, and each worker drops any pooled connection it inherited.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time
from typing import Any

from flask import Flask

from server.services.catalog import Catalog
from server.store import Database

log = logging.getLogger(__name__)


def prime(app: Flask) -> None:
    """Build ``app``'s match index in the master; on failure, leave each worker to build its own.

    A failure (the database unreachable at start, say) is not fatal: the workers' warm-up
    retries on its own, as it did before the index was shared.
    """
    catalog: Catalog = app.extensions["gloss.catalog"]
    database: Database = app.extensions["gloss.database"]
    started = time.monotonic()
    try:
        catalog.prime()
    except Exception:
        log.warning(
            "could not build the shared match index; workers build their own", exc_info=True
        )
    else:
        log.info(
            "shared match index built in %.1f s: %d notes at generation %d (%.0f MiB)",
            time.monotonic() - started,
            catalog.published_count,
            catalog.generation,
            catalog.index_bytes / 2**20,
        )
    finally:
        database.dispose()  # no connection may be shared by the workers about to fork
        gc.collect()
        _return_free_memory()
        gc.freeze()


def _return_free_memory() -> None:
    """Give the heap the build freed (every note was loaded at once) back to the system, so
    the master and its workers do not all map it; glibc only, a no-op elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def before_fork() -> None:
    """Move every object the master holds out of the collector's reach, so that collections
    in the child never write to (and so copy) the pages they live on."""
    gc.freeze()


def after_fork(app: Any) -> None:
    """In a new worker: forget pooled connections inherited from the master, unclosed (closing
    them would end the master's sessions), and count only the rows this worker reads."""
    extensions = getattr(app, "extensions", {})
    database: Database | None = extensions.get("gloss.database")
    if database is not None:
        database.engine.dispose(close=False)
    catalog: Catalog | None = extensions.get("gloss.catalog")
    if catalog is not None:
        catalog.rows_read = 0
