"""A match whose client has gone is stopped, on a real gunicorn worker.

gthread workers keep their heartbeat while a thread grinds on, so gunicorn's timeout never
ends work that nobody will read. The match polls the client's socket and stops.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.reliability.conftest import NewDatabase
from tests.reliability.hostile_pages import EDITED, hostile_body
from tests.reliability.servers import running_server


def test_a_match_stops_soon_after_its_client_leaves(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    body = hostile_body(EDITED + " ")  # seconds of alignment without a budget
    env = {"GLOSS_MATCH_BUDGET_MS": "60000", "GLOSS_HEAVY_MATCH_BUDGET_MS": "60000"}
    with running_server(new_database("sqlite"), tmp_path / "logs", workers=1, env=env) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        head = (
            f"POST /v1/match HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(head + body)
            time.sleep(0.5)
        left = time.monotonic()
        while "cancelled: the client left" not in server.logs():
            assert time.monotonic() - left < 10, "the match went on after its client left"
            time.sleep(0.1)
        stopped_after = time.monotonic() - left
        metrics = server.call("GET", "/metrics").text

    assert stopped_after < 2.0
    assert "gloss_match_cancelled_total 1.0" in metrics
