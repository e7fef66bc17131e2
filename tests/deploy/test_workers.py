"""Several workers, one truth: a note written once is matched by every gunicorn worker.

Each worker keeps its match index in memory and compares the catalog generation in the
database before every match (services/catalog.py), so a change committed anywhere — another
worker, another replica, `gloss load` — reaches every worker on its next request. These tests
run a real gunicorn with two workers, started by the image's entrypoint, on SQLite and on
PostgreSQL, and tell the workers apart by the process id in the access log.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request

import pytest

from server.services.loader import load_path
from server.store import Database
from tests.deploy.conftest import (
    BACKENDS,
    NO_PROXY,
    Server,
    gloss_env,
    new_database,
    start_server,
    stop_server,
)

NOTE_ID = "worker-check"
QUOTE = "the harbour lights of Port Ellery were switched off for the first time in ninety years"
PAGE = {
    "url": "https://news.example.org/port-ellery",
    "passages": [
        {"id": "p0", "text": "Local news, Tuesday."},
        {"id": "p1", "text": f"Residents said {QUOTE}, and nobody has explained why."},
    ],
}
ACCESS_LOG = "%(p)s %(m)s %(U)s %(s)s"  # the worker's pid first: "<1234> POST /v1/match 200"
REQUESTS = 24
WITHIN_SECONDS = 2.0


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    """One two-worker server per database kind, shared by this module's tests (starting one
    costs seconds); each test leaves the note in a state the other's first step overrides."""
    folder = tmp_path_factory.mktemp(request.param)
    with new_database(request.param, folder) as db_url:
        env = gloss_env(db_url, GLOSS_WORKERS="2", GLOSS_THREADS="2")
        server = start_server(env, folder / "gunicorn.log", "--access-logformat", ACCESS_LOG)
        try:
            yield server, db_url
        finally:
            stop_server(server)


def write_note(db_url: str, folder: Path, status: str) -> None:
    """Write the note from outside the server, as `gloss load` does."""
    folder.mkdir(exist_ok=True)
    (folder / f"{NOTE_ID}.yaml").write_text(
        json.dumps(
            {
                "kind": "claim",
                "title": "Port Ellery lights",
                "rating": "unproven",
                "summary": "No source says the lights were switched off.",
                "quotes": [QUOTE],
                "status": status,
                "sources": [{"title": "Harbour office", "url": "https://example.org/harbour"}],
            }
        )  # fmt: skip
    )
    database = Database(db_url)
    try:
        load_path(database, folder, author="test")
    finally:
        database.dispose()


def matched_ids(server: Server) -> list[str]:
    """POST /v1/match on a new connection, so that either worker may answer."""
    request = Request(
        f"{server.base}/v1/match",
        data=json.dumps(PAGE).encode(),
        headers={"Content-Type": "application/json"},
    )
    with NO_PROXY.open(request, timeout=5) as response:
        assert response.status == 200
        return [card["note_id"] for card in json.load(response)["cards"]]


def match_pids(server: Server) -> list[str]:
    """The worker pid of every POST /v1/match answered so far, from the access log."""
    return re.findall(r"^<(\d+)> POST /v1/match 200$", server.output(), re.MULTILINE)


def poll(server: Server) -> tuple[list[list[str]], set[str], float]:
    """At least REQUESTS matches, and more until both workers have answered some."""
    answered_before = len(match_pids(server))
    started = time.monotonic()
    answers: list[list[str]] = []
    while len(answers) < REQUESTS or len(set(match_pids(server)[answered_before:])) < 2:
        answers.append(matched_ids(server))
        if time.monotonic() - started > WITHIN_SECONDS:
            break
    return answers, set(match_pids(server)[answered_before:]), time.monotonic() - started


def test_both_workers_match_a_note_written_outside_them(
    served: tuple[Server, str], tmp_path: Path
) -> None:
    server, db_url = served
    write_note(db_url, tmp_path / "notes", status="draft")
    before, warm_workers, _ = poll(server)  # both workers have built their index

    write_note(db_url, tmp_path / "notes", status="published")
    after, workers, elapsed = poll(server)

    assert all(NOTE_ID not in ids for ids in before)
    assert len(warm_workers) == 2
    assert len(after) >= REQUESTS
    assert [ids for ids in after if NOTE_ID not in ids] == []
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS


def test_both_workers_stop_matching_a_retired_note(
    served: tuple[Server, str], tmp_path: Path
) -> None:
    server, db_url = served
    write_note(db_url, tmp_path / "notes", status="published")
    seen, _, _ = poll(server)

    write_note(db_url, tmp_path / "notes", status="retired")
    after, workers, elapsed = poll(server)

    assert all(NOTE_ID in ids for ids in seen)
    assert [ids for ids in after if NOTE_ID in ids] == []
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS
