"""The engine and sessions: the only place that knows how to talk to the database.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way. PostgreSQL needs nothing
special: the catalog row lock (see models.CatalogState) orders writers. The schema is Alembic's
business (``server.store.migrate``); ``schema_lock`` is what keeps two migrators apart.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Any fixed 64-bit number will do; every Gloss process uses this one to serialize migrations.
SCHEMA_LOCK_KEY = 0x676C6F73_73646221  # "glossdb!"
PATIENT_SECONDS = 30
"""How long command-line jobs and migrations wait for SQLite's write lock."""


class Database:
    """Owns one engine and hands out read sessions and write transactions."""

    def __init__(self, url: str, timeout: float | None = None) -> None:
        """``timeout``: seconds to wait for a connection, a lock or a statement (the server's
        bound, so a slow database answers 503 rather than holding threads); None waits as
        long as command-line jobs may (30 s for a lock, statements unbounded)."""
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "json_serializer": _json_dumps}
        busy_ms = int((timeout or PATIENT_SECONDS) * 1000)
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": busy_ms / 1000, "check_same_thread": False}
        else:
            if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            if timeout is not None:
                kwargs["pool_timeout"] = timeout
                kwargs["connect_args"] = _postgres_timeouts(timeout)
        self.engine: Engine = create_engine(parsed, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine, busy_ms)
        self._writer = self.engine.execution_options(gloss_write=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._writer, expire_on_commit=False)

    def migrate(self, target: str = "head") -> None:
        """Bring the schema to ``target`` (the latest migration by default).

        Safe on every start and from several processes at once (see ``schema_lock``).
        """
        from server.store import migrate

        migrate.upgrade(self, target)

    def create_all(self) -> None:
        """The schema at the latest migration; the name callers used before migrations."""
        self.migrate()

    @contextmanager
    def schema_lock(self) -> Iterator[Connection]:
        """A write transaction holding the lock every migrator takes; committed at the end.

        PostgreSQL: a transaction-scoped advisory lock. SQLite: ``BEGIN IMMEDIATE`` already
        holds the database's single write lock. DDL is transactional on both.
        """
        with self._writer.execution_options(gloss_patient=True).begin() as conn:
            if not self.is_sqlite:
                # Migrations wait for each other and may run long: no server bound here.
                conn.execute(text("SET LOCAL statement_timeout = 0"))
                conn.execute(text("SET LOCAL lock_timeout = 0"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            yield conn

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read-only unit of work; closing it ends the transaction and keeps loaded objects."""
        with self._read() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed if the block succeeds, rolled back otherwise."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def rehearsal(self) -> Iterator[Session]:
        """A write transaction that is always rolled back: a dry run does every write, counts
        what happened, and leaves the database as it was."""
        with self._write() as session, session.begin() as outer:
            try:
                yield session
            finally:
                outer.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def _json_dumps(value: Any) -> str:
    """JSON columns keep non-ASCII text as is, so text search sees the characters themselves."""
    return json.dumps(value, ensure_ascii=False)


def _enable_wal(cursor: Any) -> None:
    """Switch a new database file to WAL (it stays so), waiting while another process holds
    it: SQLite reports that switch as "locked" at once, without its busy timeout, which
    made workers that open a new file together fail."""
    deadline = time.monotonic() + 30
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _postgres_timeouts(timeout: float) -> dict[str, Any]:
    """libpq settings that bound connecting, waiting for a lock and running one statement."""
    ms = int(timeout * 1000)
    return {
        "connect_timeout": max(1, math.ceil(timeout)),
        "options": f"-c statement_timeout={ms} -c lock_timeout={ms}",
    }


def _configure_sqlite(engine: Engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        patient = options.get("gloss_patient")
        conn.exec_driver_sql(
            f"PRAGMA busy_timeout={PATIENT_SECONDS * 1000 if patient else busy_ms}"
        )
        mode = "IMMEDIATE" if options.get("gloss_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")
