"""Rate limits (flask-limiter) on a real gunicorn server: 429 problem documents with Retry-After.

Match, feedback and curator writes each have a per-client limit. In memory, every worker counts
on its own; with ``GLOSS_RATELIMIT_STORAGE=redis://…`` the workers share one count, so the limit
holds for the server as a whole. A Redis outage (refused, or hung) lets requests through rather
than failing them, limited in each worker's memory until Redis answers again.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import NewDatabase
from tests.reliability.servers import Reply, Server, free_port, make_token, running_server

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before and after
MATCH = {"url": "https://www.example.org/article", "passages": [{"id": "p0", "text": "Hello."}]}
SPREAD = ("--worker-connections", "4")  # a burst reaches both workers, not one accept loop
LIMITS = {
    "GLOSS_RATELIMIT_ENABLED": "true",
    "GLOSS_RATELIMIT_MATCH": "5/minute",
    "GLOSS_RATELIMIT_FEEDBACK": "3/minute",
    "GLOSS_RATELIMIT_WRITES": "4/minute",
}


@pytest.fixture
def one_worker(new_database: NewDatabase, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """One worker with in-memory limits, and a curator's token."""
    database_url = new_database("sqlite")
    with running_server(database_url, tmp_path / "logs", workers=1, env=LIMITS) as server:
        _, secret = make_token(database_url, "curator", "Limited Curator")
        yield server, secret


@pytest.fixture
def shared_redis() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def _until_limited(send: Callable[[], Reply], allowed: int) -> list[Reply]:
    return [send() for _ in range(allowed + 2)]


def _assert_limited_after(replies: list[Reply], allowed: int, ok: int) -> None:
    assert [r.status for r in replies] == [ok] * allowed + [429, 429]
    refused = replies[-1]
    assert refused.header("Content-Type") == "application/problem+json"
    assert refused.json()["status"] == 429
    assert refused.json()["title"] == "Too Many Requests"
    assert 0 < int(str(refused.header("Retry-After"))) <= 60


def test_match_past_its_limit_is_429_with_retry_after(one_worker: tuple[Server, str]) -> None:
    server, _ = one_worker

    replies = _until_limited(lambda: server.call("POST", "/v1/match", json_body=MATCH), 5)

    _assert_limited_after(replies, 5, ok=200)


def test_feedback_past_its_limit_is_429_with_retry_after(one_worker: tuple[Server, str]) -> None:
    server, _ = one_worker
    vote = {"helpful": True}

    replies = _until_limited(
        lambda: server.call("POST", "/v1/cards/global-research/feedback", json_body=vote), 3
    )

    _assert_limited_after(replies, 3, ok=201)


def test_curator_writes_past_their_limit_are_429_with_retry_after(
    one_worker: tuple[Server, str],
) -> None:
    server, secret = one_worker
    auth = {"Authorization": f"Bearer {secret}"}
    numbers = iter(range(100))

    def create() -> Reply:
        body = {**NEW_CLAIM, "id": f"limited-{next(numbers)}"}
        return server.call("POST", "/v1/notes", json_body=body, headers=auth)

    replies = _until_limited(create, 4)

    _assert_limited_after(replies, 4, ok=201)
    listed = server.call("GET", "/v1/notes?q=moon&limit=200", headers=auth).json()["notes"]
    assert len([n for n in listed if n["id"].startswith("limited-")]) == 4


def _burst(server: Server, count: int) -> Counter[int]:
    start = threading.Barrier(count)

    def send(_: int) -> int:
        start.wait()
        return server.call("POST", "/v1/match", json_body=MATCH).status

    with ThreadPoolExecutor(count) as pool:
        return Counter(pool.map(send, range(count)))


def _served_by_worker(server: Server) -> dict[str, Counter[int]]:
    """Statuses of the match requests in the access log, by the pid of the worker that answered."""
    served: dict[str, Counter[int]] = {}
    for line in server.access_log.read_text().splitlines():
        found = re.search(r'"POST /v1/match" (\d+) .* pid=(\S+)', line)
        if found:
            served.setdefault(found[2], Counter())[int(found[1])] += 1
    return served


def _bursts_over_both_workers(server: Server, at_least: int = 30) -> Counter[int]:
    """Bursts of concurrent matches until both workers have answered some, ``at_least`` in all.

    Which worker accepts a connection is the kernel's choice; cheap requests can all land on
    one worker for a while, so the test keeps going (within bounds) until it has seen both.
    """
    statuses: Counter[int] = Counter()
    while len(_served_by_worker(server)) < 2 or statuses.total() < at_least:
        assert statuses.total() < 400, "the second worker never answered"
        statuses += _burst(server, 10)
    return statuses


def test_redis_shares_one_limit_between_two_workers(
    shared_redis: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    env = {**LIMITS, "GLOSS_RATELIMIT_MATCH": "10/minute", "GLOSS_RATELIMIT_STORAGE": shared_redis}
    with running_server(
        new_database("sqlite"), tmp_path / "logs", env=env, extra_args=SPREAD
    ) as server:
        statuses = _bursts_over_both_workers(server)
        served = _served_by_worker(server)

    assert len(served) == 2
    assert statuses[200] == 10, statuses
    assert statuses[429] == statuses.total() - 10


def test_in_memory_limits_count_per_worker(new_database: NewDatabase, tmp_path: Path) -> None:
    env = {**LIMITS, "GLOSS_RATELIMIT_MATCH": "10/minute"}
    with running_server(
        new_database("sqlite"), tmp_path / "logs", env=env, extra_args=SPREAD
    ) as server:
        statuses = _bursts_over_both_workers(server)
        served = _served_by_worker(server)

    assert len(served) == 2
    assert all(by_pid[200] == min(10, by_pid.total()) for by_pid in served.values())
    assert statuses[200] > 10, "each worker let its own ten through"


def test_a_redis_outage_lets_matching_through(new_database: NewDatabase, tmp_path: Path) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    env = {**LIMITS, "GLOSS_RATELIMIT_STORAGE": nowhere}
    with running_server(new_database("sqlite"), tmp_path / "logs", workers=1, env=env) as server:
        statuses = [server.call("POST", "/v1/match", json_body=MATCH).status for _ in range(8)]

    assert statuses == [200] * 5 + [429] * 3, "matching goes on, limited in each worker's memory"


def test_a_hung_redis_adds_no_seconds_to_each_match(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    with socket.socket() as hung:  # accepts connections (the kernel does) and never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        env = {**LIMITS, "GLOSS_RATELIMIT_STORAGE": f"redis://127.0.0.1:{hung.getsockname()[1]}/0"}
        with running_server(
            new_database("sqlite"), tmp_path / "logs", workers=1, env=env
        ) as server:
            timings, statuses = [], []
            for _ in range(8):
                started = time.perf_counter()
                statuses.append(server.call("POST", "/v1/match", json_body=MATCH).status)
                timings.append(time.perf_counter() - started)

    assert statuses == [200] * 5 + [429] * 3, "limits still hold, counted in memory"
    assert sum(timings) < 3.0, timings
    assert sorted(timings)[-2] < 0.5, timings
