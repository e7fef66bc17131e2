"""Heavy matches on a real gunicorn server: the workers share the server's heavy-match slots,
and large pages leave no memory behind in the worker that read them.

Before, each worker ran every 2 MB page it was sent, two at a time across the server on a
2-core host, and kept tens of MB of each (glibc keeps freed heap pages, and serves later
large bodies from the heap once one has been freed).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from tests.reliability.conftest import NewDatabase
from tests.reliability.hostile_pages import UNITS, hostile_body
from tests.reliability.loadgen import example_match_body, rss_kib
from tests.reliability.servers import Reply, Server, call, running_server

HEAVY_BYTES = 256 * 1024  # the default
JSON = {"Content-Type": "application/json"}


def _post(server: Server, body: bytes) -> Reply:
    return call(server.base_url, "POST", "/v1/match", body=body, headers=JSON, timeout=60)


def _cheap_heavy_body(size: int = HEAVY_BYTES) -> bytes:
    text = "plain words of an ordinary page " * 600
    passages = [{"id": f"p{n}", "text": text} for n in range(size // len(text) + 1)]
    return json.dumps({"url": "https://example.org/b", "passages": passages}).encode()


def _wait_until_both_workers_answer(server: Server) -> None:
    """Health says ok several times in a row: no worker is still warming (a warming worker
    answers a match with 503 at once, which is not what is measured here)."""
    deadline, in_a_row = time.monotonic() + 60, 0
    while in_a_row < 8 and time.monotonic() < deadline:
        ok = call(server.base_url, "GET", "/v1/health", timeout=10).status == 200
        in_a_row = in_a_row + 1 if ok else 0
        if not ok:
            time.sleep(0.2)
    assert in_a_row >= 8, "the workers never became ready"


def test_the_workers_share_one_heavy_match_slot(new_database: NewDatabase, tmp_path: Path) -> None:
    # 256 Ki characters of an edited quote need more than a second of CPU: at a third of a
    # core, the costly match holds the server's one slot for several seconds.
    # A 1 MiB threshold: the costly match reads four times the default's characters, so it
    # outlives any scheduling noise on a loaded machine.
    env = {
        "GLOSS_MATCH_BUDGET_MS": "60000",
        "GLOSS_HEAVY_MATCH_BUDGET_MS": "60000",
        "GLOSS_HEAVY_MATCH_BYTES": str(4 * HEAVY_BYTES),
    }
    with running_server(new_database("sqlite"), tmp_path / "logs", env=env) as server:
        server.wait_for_workers(2)
        _wait_until_both_workers_answer(server)
        replies: list[Reply] = []
        costly = threading.Thread(
            target=lambda: replies.append(_post(server, hostile_body(UNITS["edited-quote"])))
        )
        costly.start()
        time.sleep(1)  # its 2 MB are in and it holds the slot
        statuses = []
        while costly.is_alive() and len(statuses) < 6:
            statuses.append(_post(server, _cheap_heavy_body(4 * HEAVY_BYTES)).status)
        refused_while_running = costly.is_alive()
        costly.join()

    assert statuses == [503] * 6  # whichever worker each reached
    assert refused_while_running
    assert replies[0].status == 200


def test_large_pages_leave_a_workers_memory_as_it_was(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    body, example = hostile_body(UNITS["edited-quote"]), json.dumps(example_match_body()).encode()
    with running_server(new_database("sqlite"), tmp_path / "logs", workers=1) as server:
        (pid,) = server.wait_for_workers(1)
        for _ in range(10):
            _post(server, example)
        warm = rss_kib(pid)
        statuses = [_post(server, body).status for _ in range(6)]
        after = rss_kib(pid)

    assert statuses == [200] * 6
    assert after <= warm * 1.05, f"RSS {warm // 1024} MB -> {after // 1024} MB"
