"""Shared fixtures: a fresh app and database per test, on SQLite and on PostgreSQL.

Every API test runs twice, once per database (``db_url`` is parametrized). PostgreSQL is the
local server on 127.0.0.1:5432 (`make test` starts it); each test session gets a database of
its own, and each test fresh tables. A missing PostgreSQL fails the run; it never skips.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Playwright, sync_playwright
from sqlalchemy import create_engine, text

from server import create_app
from server.store.models import Base

REPO = Path(__file__).resolve().parent.parent
NOTES_DIR = REPO / "notes"
SEED_PAGE = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"
PG_ADMIN_URL = os.environ.get(
    "GLOSS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """The one Playwright driver of the test session: Playwright's sync API allows one at a time,
    and the browser suites (extension, packages, console) each keep theirs open per module."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session."""
    name = f"gloss_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gloss.db'}"
    url: str = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def app_config(db_url: str) -> dict[str, Any]:
    """Settings for the app under test; override in a test module to change them."""
    return {"database_url": db_url, "seed_notes_dir": str(NOTES_DIR)}


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    app.config["TESTING"] = True
    yield app
    app.extensions["gloss.database"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page_passages(path: Path = SEED_PAGE) -> list[dict[str, str]]:
    """The example article split into passages the way a simple client would."""
    from server.pages import passages_from

    return [{"id": f"p{i}", "text": t} for i, t in enumerate(passages_from(path.read_text()))]


def make_token(app: Flask, role: str, name: str | None = None) -> str:
    """A fresh API token secret with ``role``, stored the way the CLI stores it."""
    from server.store import tokens as token_store

    with app.extensions["gloss.database"].transaction() as session:
        _, secret = token_store.create(session, name or f"test {role}", role)
    return secret


@pytest.fixture
def curator(app: Flask) -> dict[str, str]:
    """Authorization headers of a curator."""
    return {"Authorization": f"Bearer {make_token(app, 'curator', 'Casey Curator')}"}


@pytest.fixture
def admin(app: Flask) -> dict[str, str]:
    """Authorization headers of an admin."""
    return {"Authorization": f"Bearer {make_token(app, 'admin', 'Ada Admin')}"}


NEW_CLAIM: dict[str, Any] = {
    "kind": "claim",
    "title": "The moon landing was staged",
    "summary": "NASA's Apollo landings are documented by independent tracking and samples.",
    "rating": "false",
    "quotes": ["the moon landings were filmed in a studio in the Nevada desert by Kubrick"],
    "sources": [{"title": "NASA: Apollo 11", "url": "https://www.nasa.gov/mission/apollo-11/"}],
    "status": "published",
}
