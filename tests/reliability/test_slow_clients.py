"""Slow and idle clients cannot starve a real gunicorn server (the production configuration).

The attack: connections that send a request's headers and never its body, or never finish
their headers, as many as the server has threads and more. gunicorn's own threaded worker
gives each one a thread that waits for the body, so health checks and readers' matches time
out for as long as the connections stay open. With requests read whole by the event loop
first (``server.buffering_worker``), they cost no thread; the server answers 408 to each when
its read timeout passes.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.reliability.conftest import NewDatabase
from tests.reliability.servers import Server, running_server

MATCH = {
    "url": "https://example.org/article",
    "passages": [{"id": "p0", "text": "Global Research reposted the article."}],
}


@pytest.fixture
def server(new_database: NewDatabase, tmp_path: Path) -> Iterator[Server]:
    env = {"GLOSS_READ_TIMEOUT": "4"}
    with running_server(new_database("sqlite"), tmp_path / "logs", env=env) as started:
        yield started


def _stalled(server: Server, head_only: bool) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    head = (
        "POST /v1/match HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n"
    )
    sock.sendall(head.encode() if head_only else head.encode() + b'\r\n{"url": ')
    return sock


def test_idle_connections_do_not_take_the_threads_of_health_checks_and_readers(
    server: Server,
) -> None:
    with ExitStack() as stack:
        stalled = [stack.enter_context(_stalled(server, head_only=n % 4 == 0)) for n in range(24)]
        time.sleep(0.5)  # every stalled connection has reached a worker

        timings = []
        for _ in range(3):
            started = time.perf_counter()
            health = server.call("GET", "/v1/health", timeout=3)
            matched = server.call("POST", "/v1/match", json_body=MATCH, timeout=3)
            timings.append(time.perf_counter() - started)
            assert (health.status, matched.status) == (200, 200)
        cards = [c["note_id"] for c in matched.json()["cards"]]

        stalled[1].settimeout(10)
        answer = stalled[1].recv(4096)

    assert max(timings) < 2.0, timings
    assert cards == ["global-research"]
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_body_sent_slowly_but_within_the_timeout_is_served(server: Server) -> None:
    host, port = server.base_url.removeprefix("http://").split(":")
    body = (
        b'{"url": "https://example.org/a", "passages": [{"id": "p0", "text": '
        b'"Global Research reposted it."}]}'
    )
    head = (
        f"POST /v1/match HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()

    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        for piece in (body[:20], body[20:60], body[60:]):
            time.sleep(0.4)
            sock.sendall(piece)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk

    assert reply.startswith(b"HTTP/1.1 200 ")
    assert b"global-research" in reply
