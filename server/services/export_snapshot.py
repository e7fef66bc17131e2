"""Exports served from snapshot files, regenerated only when the notes change.

An export is the same for every caller until a note changes, and building it costs a pass
over every published note (seconds at 100k notes). Streaming it straight from the database
also kept one read transaction open for as long as the client took to read, so a client that
stopped reading pinned SQLite's WAL (it grew without bound) or an old PostgreSQL snapshot.

So the first export after a change writes a file named after the catalog generation
(reading the notes a page per short transaction, see ``interchange.export``), and every
export streams that file: no database work, no transaction, whatever the client does. One
process per host builds a given file at a time (``flock``); the others wait for it and serve
the same file. Older files are removed once a newer one exists (a client still reading one
keeps its open file).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from server.interchange import Format
from server.services import interchange
from server.store import Database
from server.store import notes as note_store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """A finished export file and the catalog generation it was taken at."""

    path: Path
    generation: int
    fmt: Format

    @property
    def etag(self) -> str:
        return self.path.stem


def cache_dir(configured: str, database_url: str) -> Path:
    """Where this server's snapshots live: the setting, or a private directory under /tmp
    shared by every worker of the host that serves the same database."""
    if configured:
        path = Path(configured)
    else:
        key = hashlib.sha256(database_url.encode()).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"gloss-{os.getuid()}-{key}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def current(database: Database, directory: Path, fmt: Format, publisher: str) -> Snapshot:
    """The snapshot of the notes as they are now, written first if there is none yet."""
    with database.session() as session:
        generation, count, latest = note_store.fingerprint(session)
    tag = hashlib.sha256(f"{publisher}|{count}|{latest}".encode()).hexdigest()[:12]
    stem = f"export-{fmt}"
    snapshot = Snapshot(directory / f"{stem}-g{generation}-{tag}.json", generation, fmt)
    if snapshot.path.exists():
        return snapshot
    with (directory / f"{stem}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be writing this very file
        if not snapshot.path.exists():
            _write(database, snapshot, publisher)
            _remove_older(directory, stem, snapshot.path)
    return snapshot


def read(snapshot: Snapshot, block: int = 64 * 1024) -> Iterator[bytes]:
    """The snapshot's bytes; the file is opened now, so a later clean-up cannot take it away,
    and closed when the response ends, however it ends."""
    file = snapshot.path.open("rb")

    def blocks() -> Iterator[bytes]:
        with file:
            while data := file.read(block):
                yield data

    return blocks()


def _write(database: Database, snapshot: Snapshot, publisher: str) -> None:
    chunks = interchange.export(database, snapshot.fmt, publisher)
    fd, temporary = tempfile.mkstemp(dir=snapshot.path.parent, prefix=".export-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, snapshot.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    log.info("export snapshot %s written", snapshot.path.name)


def _remove_older(directory: Path, stem: str, keep: Path) -> None:
    for old in directory.glob(f"{stem}-g*.json"):
        if old != keep:
            old.unlink(missing_ok=True)
