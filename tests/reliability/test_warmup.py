"""A restarted worker warms its index in the background: health says ``warming`` (503) until it
can answer, and no reader's request stalls for seconds behind the loading index."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from sqlalchemy import insert, update

from server.store import Database
from server.store.models import CatalogState, Note, utcnow
from tests.reliability.conftest import NewDatabase
from tests.reliability.servers import Reply, Server, running_server

NOTES = 20_000


PROSE = (
    "amber anchor apple arch autumn badge barley basket beacon bell birch blanket bridge brook "
    "cabin candle canyon cart castle cedar chalk cherry cliff clock cloud copper cottage crane "
    "creek crown dawn desert dock dune eagle ember fable falcon feather fern field flame forest "
    "fountain garden glacier granite harbor harvest hazel heron hill honey island ivory jasmine "
    "kettle lantern lark lemon linen maple marble meadow mill mint moss narrow north oak ocean "
    "olive orchard otter palace pebble pepper pine plum pond quarry quiet raven reed ridge river "
    "robin saddle salt sand scarlet shadow shell silver slate spring spruce stone storm summit "
    "swan thistle thunder timber tower valley velvet violet walnut willow winter wren yarrow"
)
WORDS = PROSE.split()


def quote(number: int) -> str:
    """A distinct ten-word sentence for each number (its digits pick the words)."""
    words = [WORDS[(number * 7 + 13 * k * k + number // (k + 1)) % len(WORDS)] for k in range(9)]
    return f"the {' '.join(words)} {number}"


def fill(database_url: str, count: int) -> None:
    """``count`` published claim notes of our own words, inserted in bulk (as a restore would)."""
    database = Database(database_url)
    now = utcnow()
    rows = [
        {
            "id": f"orchard-{i}", "kind": "claim", "title": f"Orchard claim {i}",
            "summary": "A made-up claim that fills the index.", "body": None, "rating": "false",
            "quotes": [quote(2 * i), quote(2 * i + 1)], "domains": [], "aliases": [],
            "sources": [{"title": "Orchard", "url": f"https://orchard.example/{i}"}],
            "status": "published", "created_at": now, "updated_at": now, "version": 1,
            "seq": 1_000_000, "search_text": "",
            "reworded": False,  # the quote index's warm-up; the reworded tier has its own bench
        }
        for i in range(count)
    ]  # fmt: skip
    with database.transaction() as session:
        session.execute(insert(Note), rows)
        session.execute(update(CatalogState).values(generation=1_000_000))
    database.dispose()


MATCH = {
    "url": "https://www.example.org/article",
    "passages": [{"id": "p0", "text": f"We read that {quote(34)}, they say."}],
}


def timed(server: Server, method: str, path: str, **kwargs: object) -> tuple[float, Reply]:
    started = time.monotonic()
    reply = server.call(method, path, timeout=30, **kwargs)  # type: ignore[arg-type]
    return time.monotonic() - started, reply


def test_a_restarted_worker_says_warming_and_never_stalls_a_reader(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database("sqlite")
    with running_server(database_url, tmp_path / "logs", workers=1) as server:
        fill(database_url, NOTES)
        [old] = server.worker_pids()
        os.kill(old, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.worker_pids() in ([], [old]):
            time.sleep(0.05)
        timed(server, "GET", "/v1/health")  # the new worker is up and accepting
        health: list[tuple[float, int, str]] = []
        matches: list[tuple[float, int]] = []
        while time.monotonic() < deadline:
            seconds, reply = timed(server, "GET", "/v1/health")
            health.append((seconds, reply.status, reply.json().get("status", "")))
            if reply.status == 200:
                break
            seconds, reply = timed(server, "POST", "/v1/match", json_body=MATCH)
            matches.append((seconds, reply.status))
        seconds, ready = timed(server, "POST", "/v1/match", json_body=MATCH)

    assert (503, "warming") in {(status, word) for _, status, word in health}
    assert health[-1][1:] == (200, "ok")
    assert matches
    assert {status for _, status in matches} <= {200, 503}
    assert max(s for s, *_ in [*health, *matches]) < 2.5, (health, matches)
    assert ready.status == 200
    assert [c["note_id"] for c in ready.json()["cards"]] == ["orchard-17"]
