"""``gloss db …``: the database schema, for operators (upgrade, current) and developers.

The server migrates on start as well; running ``gloss db upgrade`` first (the container's
entrypoint does) keeps a slow migration out of the workers' boot time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from server.config import Settings

if TYPE_CHECKING:
    from server.store import Database


def _open() -> Database:
    from server.store import Database

    return Database(Settings.from_env().database_url)


@click.group()
def db() -> None:
    """Inspect and migrate the database schema (GLOSS_DATABASE_URL)."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate to REVISION (the latest by default); does nothing when already there."""
    from server.store import migrate

    database = _open()
    before = migrate.status(database).current
    after = migrate.upgrade(database, revision)
    change = "nothing to do" if before == after.current else f"migrated from {before or 'empty'}"
    click.echo(f"database: {after}; {change}")


@db.command()
def current() -> None:
    """Print the database's revision and the newest one this code knows."""
    from server.store import migrate

    click.echo(f"database: {migrate.status(_open())}")


@db.command()
@click.argument("revision")
@click.confirmation_option(prompt="Downgrading can drop tables and their data. Go on?")
def downgrade(revision: str) -> None:
    """Migrate down to REVISION (``base`` removes every table). Back up first."""
    from server.store import migrate

    click.echo(f"database: {migrate.downgrade(_open(), revision)}")


@db.command()
@click.option("-m", "--message", required=True, help="What the migration does, in a few words.")
def revision(message: str) -> None:
    """Write a new migration script from the models' differences with the latest one."""
    from server.store import migrate

    path = migrate.new_revision(message)
    click.echo(f"wrote {path}: review it, then run the tests (tests/deploy)")
