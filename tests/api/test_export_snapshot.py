"""``GET /v1/export`` is served from a snapshot file: no read transaction stays open while a
client reads slowly (or stops), repeated exports cost a file read, and it is rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from tests.conftest import NEW_CLAIM


def open_transactions(app: Flask, db_url: str) -> int:
    """Read transactions other connections hold open, as the database itself sees them."""
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS scratch (x INTEGER)")
            conn.exec_driver_sql("INSERT INTO scratch VALUES (1)")
            conn.commit()
            busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        engine.dispose()
        return int(busy)  # 1: a reader still needs the WAL, so it cannot be truncated
    engine = create_engine(db_url)
    with engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction'"
            )
        ).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.parametrize("fmt", ["bundle", "claimreview"])
def test_an_export_the_client_stops_reading_holds_no_transaction(
    app: Flask, client: FlaskClient, db_url: str, fmt: str
) -> None:
    response = client.get(f"/v1/export?format={fmt}", buffered=False)
    chunks = iter(response.response)
    for _ in range(3):  # the client read the start (the first notes), then stopped
        next(chunks, None)

    held = open_transactions(app, db_url)

    response.close()
    assert response.status_code == 200
    assert held == 0


def test_export_is_a_snapshot_until_the_notes_change(
    client: FlaskClient, curator: dict[str, str]
) -> None:
    first = client.get("/v1/export")
    cached = client.get("/v1/export", headers={"If-None-Match": first.headers["ETag"]})
    client.post("/v1/notes", json=NEW_CLAIM, headers=curator)

    changed = client.get("/v1/export", headers={"If-None-Match": first.headers["ETag"]})

    assert cached.status_code == 304
    assert changed.status_code == 200
    assert NEW_CLAIM["title"] not in first.get_data(as_text=True)
    assert NEW_CLAIM["title"] in changed.get_data(as_text=True)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"ratelimit_export": "3/minute"}


def test_export_is_rate_limited(client: FlaskClient) -> None:
    statuses = [client.get("/v1/export").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
