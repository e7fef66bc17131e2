"""Several workers, one truth: a note written once is matched by every gunicorn worker.

Each worker keeps its match index in memory and compares the catalog generation in the
database before every match (services/catalog.py), so a change committed anywhere — through
one worker, another replica, or `gloss load` — reaches every worker on its next request.
These tests run a real gunicorn with two workers, started by the image's entrypoint, on
SQLite and on PostgreSQL, and tell the workers apart by the process id in the access log.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import Request

import pytest

from server.services.loader import load_path
from server.store import Database
from tests.deploy.conftest import (
    BACKENDS,
    NO_PROXY,
    Server,
    free_port,
    gloss,
    gloss_env,
    new_database,
    run_healthcheck,
    start_server,
    stop_server,
)

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


def note(note_id: str, status: str = "published") -> dict[str, Any]:
    return {
        "id": note_id, "kind": "claim", "title": "Port Ellery lights", "rating": "unproven",
        "summary": "No source says the lights were switched off.", "quotes": [QUOTE],
        "sources": [{"title": "Harbour office", "url": "https://example.org/harbour"}],
        "status": status,
    }  # fmt: skip


@dataclass
class Deployment:
    server: Server
    db_url: str
    token: str  # an admin's bearer token, made by `gloss tokens create`


@pytest.fixture(scope="module", params=BACKENDS)
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """One two-worker server per database kind, shared by this module's tests (starting one
    costs seconds); each test works on a note id of its own."""
    folder = tmp_path_factory.mktemp(request.param)
    with new_database(request.param, folder) as db_url:
        env = gloss_env(
            db_url, GLOSS_WORKERS="2", GLOSS_THREADS="2", GLOSS_RATELIMIT_ENABLED="false"
        )
        server = start_server(env, folder / "gunicorn.log", "--access-logformat", ACCESS_LOG)
        try:
            created = gloss(env, "tokens", "create", "--name", "deploy test", "--role", "admin")
            assert created.returncode == 0, created.stderr
            yield Deployment(server, db_url, created.stdout.strip().splitlines()[-1])
        finally:
            stop_server(server)


def call(deployment: Deployment, method: str, path: str, body: Any = None) -> Any:
    """One request on a new connection, so that either worker may answer it."""
    request = Request(
        f"{deployment.server.base}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {deployment.token}"},
    )
    with NO_PROXY.open(request, timeout=5) as response:
        assert response.status in (200, 201, 204)
        return json.load(response) if response.status != 204 else None


def match_pids(server: Server) -> list[str]:
    """The worker pid of every POST /v1/match answered so far, from the access log."""
    return re.findall(r"^<(\d+)> POST /v1/match 200$", server.output(), re.MULTILINE)


def poll(deployment: Deployment) -> tuple[list[list[str]], set[str], float]:
    """At least REQUESTS matches, and more until both workers have answered some."""
    server = deployment.server
    answered_before = len(match_pids(server))
    started = time.monotonic()
    answers: list[list[str]] = []
    while len(answers) < REQUESTS or len(set(match_pids(server)[answered_before:])) < 2:
        cards = call(deployment, "POST", "/v1/match", PAGE)["cards"]
        answers.append([card["note_id"] for card in cards])
        if time.monotonic() - started > WITHIN_SECONDS:
            break
    return answers, set(match_pids(server)[answered_before:]), time.monotonic() - started


def seen_by_all(answers: list[list[str]], note_id: str) -> bool:
    return len(answers) >= REQUESTS and all(note_id in ids for ids in answers)


def seen_by_none(answers: list[list[str]], note_id: str) -> bool:
    return len(answers) >= REQUESTS and all(note_id not in ids for ids in answers)


def test_a_note_published_through_one_worker_is_matched_by_both(
    deployment: Deployment,
) -> None:
    before, warm_workers, _ = poll(deployment)  # both workers have built their index

    call(deployment, "POST", "/v1/notes", note("published-via-api"))
    after, workers, elapsed = poll(deployment)

    assert seen_by_none(before, "published-via-api")
    assert len(warm_workers) == 2
    assert seen_by_all(after, "published-via-api")
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS


def test_a_note_retired_through_one_worker_is_dropped_by_both(deployment: Deployment) -> None:
    call(deployment, "POST", "/v1/notes", note("retired-via-api"))
    seen, _, _ = poll(deployment)

    call(deployment, "DELETE", "/v1/notes/retired-via-api")
    after, workers, elapsed = poll(deployment)

    assert seen_by_all(seen, "retired-via-api")
    assert seen_by_none(after, "retired-via-api")
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS


def test_a_note_purged_through_one_worker_is_dropped_by_both(deployment: Deployment) -> None:
    call(deployment, "POST", "/v1/notes", note("purged-via-api"))
    seen, _, _ = poll(deployment)

    call(deployment, "DELETE", "/v1/notes/purged-via-api?purge=true")
    after, workers, elapsed = poll(deployment)

    assert seen_by_all(seen, "purged-via-api")
    assert seen_by_none(after, "purged-via-api")
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS


def test_a_note_loaded_from_outside_is_matched_by_both(
    deployment: Deployment, tmp_path: Path
) -> None:
    poll(deployment)
    (tmp_path / "loaded-from-outside.yaml").write_text(json.dumps(note("loaded-from-outside")))

    database = Database(deployment.db_url)  # what `gloss load DIR` does, in this process
    try:
        load_path(database, tmp_path, author="test")
    finally:
        database.dispose()
    after, workers, elapsed = poll(deployment)

    assert seen_by_all(after, "loaded-from-outside")
    assert len(workers) == 2, f"only worker(s) {workers} answered"
    assert elapsed < WITHIN_SECONDS


def test_the_image_healthcheck_passes_on_a_server_and_fails_without_one(
    deployment: Deployment,
) -> None:
    port = deployment.server.base.rsplit(":", 1)[1]

    up = run_healthcheck(port)
    down = run_healthcheck(str(free_port()))

    assert up.returncode == 0, up.stderr
    assert down.returncode == 1
    assert "unhealthy" in down.stderr
