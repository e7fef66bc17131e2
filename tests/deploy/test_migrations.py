"""Alembic migrations: the migrated schema is the models' schema, on SQLite and PostgreSQL,
and upgrading is safe to repeat and to run from several processes at once."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text, update

from server import create_app
from server.store import Database, migrate
from server.store.models import Base, CatalogState
from tests.deploy.conftest import gloss, gloss_env


@pytest.fixture
def database(empty_db_url: str) -> Iterator[Database]:
    database = Database(empty_db_url)
    yield database
    database.dispose()


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def table_names(database: Database) -> set[str]:
    with database.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def catalog_rows(database: Database) -> list[tuple[int, int]]:
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, generation FROM catalog_state")).all()
        return [(row[0], row[1]) for row in rows]


def test_migrated_schema_equals_the_models(database: Database) -> None:
    database.migrate()

    assert schema_differences(database) == []
    assert catalog_rows(database) == [(1, 0)]
    assert migrate.status(database).current == migrate.head()


def test_db_upgrade_twice_changes_nothing(empty_db_url: str) -> None:
    env = gloss_env(empty_db_url)

    first = gloss(env, "db", "upgrade")
    second = gloss(env, "db", "upgrade")

    assert first.returncode == 0, first.stderr
    assert "migrated from empty" in first.stdout
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == f"database: {migrate.head()} (head); nothing to do"
    database = Database(empty_db_url)
    assert catalog_rows(database) == [(1, 0)]
    database.dispose()


def test_create_app_starts_on_an_empty_and_on_a_migrated_database(empty_db_url: str) -> None:
    config = {"database_url": empty_db_url, "seed_notes_dir": ""}

    statuses = []
    for _ in range(2):
        app = create_app(config)
        statuses.append(app.test_client().get("/v1/health").status_code)
        app.extensions["gloss.database"].dispose()

    assert statuses == [200, 200]


def test_every_migration_downgrades_and_upgrades_again(database: Database) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))

    for revision in revisions:
        migrate.upgrade(database, revision.revision)
        migrate.downgrade(database, revision.down_revision or "base")
        migrate.upgrade(database, revision.revision)
    bottom = migrate.downgrade(database, "base")
    tables_at_base = table_names(database)
    database.migrate()

    assert bottom.current is None
    assert tables_at_base <= {migrate.VERSION_TABLE}
    assert schema_differences(database) == []


def test_concurrent_upgrades_of_an_empty_database_migrate_once(
    empty_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # One Database (engine, connections) per thread: to the database these are four servers.
    databases = [Database(empty_db_url) for _ in range(4)]
    start = threading.Barrier(len(databases))

    def start_server(database: Database) -> str | None:
        start.wait()
        return migrate.upgrade(database).current

    with (
        caplog.at_level(logging.INFO, logger="gloss.migrate"),
        ThreadPoolExecutor(len(databases)) as pool,
    ):
        results = list(pool.map(start_server, databases))
    migrations = [r for r in caplog.records if r.getMessage().startswith("database schema")]

    assert results == [migrate.head()] * 4
    assert len(migrations) == 1
    assert catalog_rows(databases[0]) == [(1, 0)]
    assert schema_differences(databases[0]) == []
    for database in databases:
        database.dispose()


def test_database_made_before_migrations_is_adopted_with_its_data(database: Database) -> None:
    # What Database.create_all made before migrations: the initial schema, unversioned (the
    # models of today have columns that later migrations add).
    database.migrate(migrate.INITIAL_REVISION)
    with database.transaction() as session:
        session.execute(text("DROP TABLE alembic_version"))
        session.execute(update(CatalogState).values(generation=7))

    database.migrate()

    assert migrate.status(database).current == migrate.head()
    assert catalog_rows(database) == [(1, 7)]
    assert schema_differences(database) == []


def test_tables_dropped_behind_alembics_back_are_rebuilt(database: Database) -> None:
    database.migrate()
    Base.metadata.drop_all(database.engine)  # what the API tests' fixtures do between tests

    database.migrate()

    assert catalog_rows(database) == [(1, 0)]
    assert schema_differences(database) == []


def test_unversioned_database_with_some_tables_is_refused(database: Database) -> None:
    Base.metadata.create_all(database.engine, tables=[Base.metadata.tables["notes"]])

    with pytest.raises(migrate.MigrationError, match="only some of Gloss's tables"):
        database.migrate()


def test_revision_of_unchanged_models_is_an_empty_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    head = migrate.head()
    migrate.head.cache_clear()

    try:
        path = migrate.new_revision("nothing changed")
    finally:
        migrate.head.cache_clear()

    source = path.read_text()
    assert path.parent == scripts / "versions"
    assert path.name == f"{int(head) + 1:04d}_nothing_changed.py"
    assert "op." not in source
    assert f'down_revision = "{head}"' in source
