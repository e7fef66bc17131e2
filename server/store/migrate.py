"""Schema migrations with Alembic, configured from code: the only way the schema changes.

The scripts live in ``server/store/migrations`` inside the package, so an installed wheel or
the container image migrates without a checkout or an ``alembic.ini``. Every command runs on
one connection inside ``Database.schema_lock``: a second process starting at the same moment
waits for the first, then finds the schema at head and does nothing. DDL is transactional on
PostgreSQL and SQLite, so a failed migration leaves the database as it was.

Two databases are taken in hand before upgrading (see ``_reconcile``): one made by the
``create_all`` of the days before migrations is stamped at the initial revision, and one
whose tables were dropped behind Alembic's back starts again from an empty schema.
"""

from __future__ import annotations

import importlib.util
import logging
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from server.store.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
INITIAL_REVISION = "0001"
INITIAL_TABLES = frozenset(
    {"notes", "note_tombstones", "catalog_state", "api_tokens", "note_revisions", "feedback"}
)

log = logging.getLogger("gloss.migrate")
# Alembic announces each of its plugins at INFO whenever it reads the scripts: every worker.
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


class MigrationError(Exception):
    """A database whose schema the migrations cannot take over safely."""


@dataclass(frozen=True)
class Status:
    """Where a database stands: its revision (None when unversioned) and the code's head."""

    current: str | None
    head: str

    def __str__(self) -> str:
        if self.current == self.head:
            return f"{self.current} (head)"
        return f"{self.current or 'empty'} (head is {self.head})"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our scripts; ``env.py`` runs on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision the code knows (read once per process)."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:
        raise MigrationError(f"no migrations in {MIGRATIONS_DIR}")
    return revision


def status(database: Database) -> Status:
    with database.engine.connect() as conn:
        return Status(_current(conn), head())


def upgrade(database: Database, target: str = "head") -> Status:
    """Migrate to ``target``; two cheap reads when already there, which is every start but one."""
    if target == "head" and _at_head(database):
        return Status(head(), head())
    with database.schema_lock() as conn:
        _reconcile(conn)
        before = _current(conn)
        command.upgrade(alembic_config(conn), target)
        after = _current(conn)
    if before != after:
        log.info("database schema migrated from %s to %s", before or "empty", after)
    return Status(after, head())


def downgrade(database: Database, target: str) -> Status:
    """Migrate down to ``target`` (``base`` drops every table: the data goes with it)."""
    with database.schema_lock() as conn:
        command.downgrade(alembic_config(conn), target)
        after = _current(conn)
    return Status(after, head())


def new_revision(message: str) -> Path:
    """Write the next numbered script from what the models have that the migrations lack.

    The comparison runs against a scratch SQLite database migrated to head, so no server is
    needed; the script still has to be read and corrected by hand before it is committed.
    """
    # Numbers come from the highest revision, not the head: branches merged in any order can
    # leave an older number (say 0003) at the head of the chain.
    scripts = ScriptDirectory.from_config(alembic_config())
    rev_id = f"{max(int(r.revision) for r in scripts.walk_revisions()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        database = Database(f"sqlite:///{scratch}/scratch.db")
        try:
            upgrade(database)
            with database.schema_lock() as conn:
                config = alembic_config(conn)
                if importlib.util.find_spec("ruff"):  # a dev install: write it lint-clean
                    _ruff_hooks(config)
                script = command.revision(config, message, autogenerate=True, rev_id=rev_id)
        finally:
            database.dispose()
    if script is None or isinstance(script, list):
        raise MigrationError("alembic wrote no single script")
    return Path(script.path)


def _ruff_hooks(config: Config) -> None:
    hooks = {"ruff_fix": "check --fix --quiet", "ruff_format": "format --quiet"}
    config.set_section_option("post_write_hooks", "hooks", ", ".join(hooks))
    for name, options in hooks.items():
        config.set_section_option("post_write_hooks", f"{name}.type", "module")
        config.set_section_option("post_write_hooks", f"{name}.module", "ruff")
        config.set_section_option(
            "post_write_hooks", f"{name}.options", f"{options} REVISION_SCRIPT_FILENAME"
        )


def _at_head(database: Database) -> bool:
    with database.engine.connect() as conn:
        return _current(conn) == head() and inspect(conn).has_table("catalog_state")


def _current(conn: Connection) -> str | None:
    """Alembic's record, read directly: no migration context, so no log lines per worker."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    revisions = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(revisions) > 1:
        raise MigrationError(f"{VERSION_TABLE} holds several revisions: {sorted(revisions)}")
    return revisions[0] if revisions else None


def _reconcile(conn: Connection) -> None:
    """Make Alembic's record agree with the tables that are really there."""
    tables = set(inspect(conn).get_table_names())
    present = INITIAL_TABLES & tables
    revision = _current(conn)
    if revision is None and present == INITIAL_TABLES:
        log.info("adopting a database made before migrations: stamping %s", INITIAL_REVISION)
        command.stamp(alembic_config(conn), INITIAL_REVISION)
    elif revision is None and present:
        raise MigrationError(
            f"unversioned database with only some of Gloss's tables ({', '.join(sorted(present))})"
            "; restore it from a backup or move it aside"
        )
    elif revision is not None and not present:
        log.warning("tables missing at revision %s: rebuilding the schema from scratch", revision)
        command.stamp(alembic_config(conn), "base", purge=True)
