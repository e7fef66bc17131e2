"""Fixtures for the console's HTTP tests: a signed-in test client that sends CSRF tokens.

The browser tests (``test_browser.py``) start their own server; these run in-process against
the fresh app and database of ``tests/conftest.py`` (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import make_token

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the console adds no SQL of its own except triage's, whose module tests
    PostgreSQL too (the API suite covers the services on both databases)."""
    return f"sqlite:///{tmp_path / 'gloss.db'}"


@dataclass
class Console:
    """A browser-like client: remembers the CSRF token of the last page it read."""

    client: FlaskClient
    csrf: str = ""

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(path, **kwargs)
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any], csrf: bool = True, **kw: Any) -> TestResponse:
        if csrf:
            data = {"csrf_token": self.csrf, **data}
        response = self.client.post(path, data=data, **kw)
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def sign_in(self, secret: str) -> TestResponse:
        self.get("/console/sign-in")
        return self.post("/console/sign-in", {"token": secret})


def signed_in(app: Flask, role: str, name: str) -> Console:
    console = Console(app.test_client())
    response = console.sign_in(make_token(app, role, name))
    assert response.status_code == 303
    return console


@pytest.fixture
def desk(app: Flask) -> Console:
    """A curator signed in to the console."""
    return signed_in(app, "curator", "Casey Curator")


@pytest.fixture
def boss(app: Flask) -> Console:
    """An admin signed in to the console."""
    return signed_in(app, "admin", "Ada Admin")


CLAIM_FORM: dict[str, str] = {
    "kind": "claim",
    "title": "The moon landing was staged",
    "summary": "NASA's Apollo landings are documented by independent tracking and samples.",
    "rating": "false",
    "status": "draft",
    "quotes": "the moon landings were filmed in a studio in the Nevada desert by Kubrick",
    "sources": "NASA: Apollo 11 | https://www.nasa.gov/mission/apollo-11/",
    "domains": "",
    "aliases": "",
    "body": "",
}
