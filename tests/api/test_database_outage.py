"""A database that is slow or unreachable gets 503 with Retry-After, within a bounded time."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from server.store import Database
from tests.conftest import NEW_CLAIM

TIMEOUT = 1.0


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"database_timeout": TIMEOUT}


@pytest.fixture
def locked_database(db_url: str, client: FlaskClient) -> Iterator[None]:
    """Another client holds every table of the database locked (a slow migration, a stuck job)."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        if db_url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.execute(text("LOCK TABLE notes, catalog_state IN ACCESS EXCLUSIVE MODE"))
        yield
        conn.rollback()
    engine.dispose()


def test_a_locked_database_is_503_with_retry_after_in_bounded_time(
    client: FlaskClient, curator: dict[str, str], locked_database: None
) -> None:
    started = time.monotonic()

    response = client.post("/v1/notes", json=NEW_CLAIM, headers=curator)

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1
    assert time.monotonic() - started < TIMEOUT + 3


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung database host)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


def test_connecting_to_a_hung_database_gives_up_in_bounded_time(silent_server: int) -> None:
    database = Database(
        f"postgresql+psycopg://gloss@127.0.0.1:{silent_server}/gloss", timeout=TIMEOUT
    )
    started = time.monotonic()

    with pytest.raises(OperationalError), database.session() as session:
        session.execute(text("SELECT 1"))

    assert time.monotonic() - started < TIMEOUT + 3
    database.dispose()
