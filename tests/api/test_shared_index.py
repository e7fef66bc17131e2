"""Priming the app's index once before workers fork (server/prefork.py), through the app
factory: what a worker inherits it does not read again, and a failed build is not fatal."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from server import prefork
from server.services.catalog import Catalog
from tests.conftest import page_passages


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """``prime`` freezes every object out of the collector's reach, as a master should before
    forking; the test process gets its collector back."""
    yield
    gc.unfreeze()


def _seed_page() -> dict[str, object]:
    return {"url": "https://www.example.org/article", "passages": page_passages()}


def test_a_primed_app_answers_its_first_match_without_reading_notes(
    app: Flask, client: FlaskClient
) -> None:
    prefork.prime(app)
    prefork.after_fork(app)  # as in a worker just forked from the master

    reply = client.post("/v1/match", json=_seed_page())

    assert reply.status_code == 200
    assert reply.get_json()["cards"]
    assert app.extensions["gloss.catalog"].rows_read == 0
    metrics = client.get("/metrics").get_data(as_text=True)
    assert re.search(r"^gloss_index_rows_read 0\.0$", metrics, re.M)
    assert re.search(r"^gloss_index_bytes [1-9]", metrics, re.M)


def test_a_failed_build_in_the_master_leaves_the_workers_to_load_their_own(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: Catalog) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with monkeypatch.context() as patched:
        patched.setattr(Catalog, "prime", unreachable)
        prefork.prime(app)
    prefork.after_fork(app)

    reply = client.post("/v1/match", json=_seed_page())

    catalog = app.extensions["gloss.catalog"]
    assert reply.status_code == 200
    assert reply.get_json()["cards"]
    assert catalog.rows_read == catalog.published_count > 0
