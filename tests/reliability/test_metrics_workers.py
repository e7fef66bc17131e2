"""``/metrics`` under real gunicorn workers: one scrape, whichever worker answers it, counts the
matches that every worker served (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.reliability.conftest import NewDatabase
from tests.reliability.servers import Server, running_server

MATCH = {"url": "https://example.org/a", "passages": [{"id": "p0", "text": "Global Research."}]}
COUNT = re.compile(r'^gloss_match_seconds_count\{outcome="complete"\} (\S+)$', re.MULTILINE)


def test_every_scrape_sums_the_matches_of_both_workers(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    with running_server(new_database("sqlite"), tmp_path / "logs") as server:
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            while len(_served_by(server)) < 2 or sent < 40:
                assert sent < 400, "the second worker never answered"
                replies = list(pool.map(lambda _: _match(server), range(8)))
                assert replies == [200] * 8
                sent += 8
        scrapes = [server.call("GET", "/metrics").text for _ in range(6)]

    counts = {float(COUNT.search(text)[1]) for text in scrapes}  # type: ignore[index]
    assert counts == {float(sent)}


def _match(server: Server) -> int:
    return server.call("POST", "/v1/match", json_body=MATCH).status


def _served_by(server: Server) -> set[str]:
    """Pids of the workers that answered a match, from the access log."""
    return {
        line.rsplit("pid=", 1)[1]
        for line in server.access_log.read_text().splitlines()
        if '"POST /v1/match"' in line
    }
