"""Cold start and index memory at scale: how soon a restarted worker answers, what it costs.

Usage: ``python bench/warm_start.py [--notes 100000] [--quick]``.

Fills a SQLite database with ``--notes`` generated claim notes (two quotes each, inserted in
bulk), serves it with gunicorn, then:

1. kills the only worker and times its replacement: from the new process appearing to its
   first successful match, with the slowest answer a reader got meanwhile (health says
   ``warming`` and matches wait at most 1 s, see ``server/warmup.py``);
2. compares the memory (RSS, and PSS, which splits shared pages between processes) of one
   warm worker with that of two.

Targets from issue 14: first match within 1 s of the worker starting at 100k notes; two
workers within 1.3× the memory of one at 1M quotes. Prints PASS/FAIL for each.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, update  # noqa: E402

from server.store import Database  # noqa: E402
from server.store.models import CatalogState, Note, utcnow  # noqa: E402
from tests.reliability.servers import Server, running_server  # noqa: E402
from tests.reliability.test_warmup import quote  # noqa: E402

PROBE = {"url": "https://www.example.org/a", "passages": [{"id": "p0", "text": quote(34)}]}


def fill(database_url: str, count: int, chunk: int = 20_000) -> None:
    """Generated published claims, two quotes each, inserted in bulk chunks."""
    database = Database(database_url)
    now = utcnow()
    for first in range(0, count, chunk):
        rows = [
            {
                "id": f"bench-{i}", "kind": "claim", "title": f"Bench claim {i}",
                "summary": "A generated claim for the start-up benchmark.", "body": None,
                "rating": "false", "quotes": [quote(2 * i), quote(2 * i + 1)], "domains": [],
                "aliases": [], "sources": [{"title": "Bench", "url": f"https://b.example/{i}"}],
                "status": "published", "created_at": now, "updated_at": now, "version": 1,
                "seq": 1_000_000, "search_text": "",
            }
            for i in range(first, min(count, first + chunk))
        ]  # fmt: skip
        with database.transaction() as session:
            session.execute(insert(Note), rows)
    with database.transaction() as session:
        session.execute(update(CatalogState).values(generation=1_000_000))
    database.dispose()


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in KiB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields["Rss"], fields["Pss"]


def warm(server: Server, count: int) -> None:
    """Every worker has loaded its index (health is per worker: ask until all said ok)."""
    deadline = time.monotonic() + 600
    ok = 0
    while ok < 8 * count and time.monotonic() < deadline:
        ok = ok + 1 if server.call("GET", "/v1/health").status == 200 else 0
        if server.call("POST", "/v1/match", json_body=PROBE).status != 200:
            ok = 0
            time.sleep(0.2)


def restart(server: Server) -> tuple[float, float, float, float]:
    """Seconds from a replaced worker's start to its first answer (booting Python and the
    app), to its first match, to health ok, and the slowest answer after the first."""
    [old] = server.worker_pids()
    os.kill(old, signal.SIGKILL)
    while server.worker_pids() in ([], [old]):
        time.sleep(0.01)
    born = time.monotonic()
    server.call("GET", "/v1/health", timeout=120)
    boot = time.monotonic() - born
    slowest, first_match, healthy = 0.0, 0.0, 0.0
    while not (first_match and healthy):
        started = time.monotonic()
        reply = server.call("POST", "/v1/match", json_body=PROBE, timeout=120)
        slowest = max(slowest, time.monotonic() - started)
        if reply.status == 200 and not first_match:
            first_match = time.monotonic() - born
        started = time.monotonic()
        if server.call("GET", "/v1/health", timeout=120).status == 200 and not healthy:
            healthy = time.monotonic() - born
        slowest = max(slowest, time.monotonic() - started)
    return boot, first_match, healthy, slowest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="20,000 notes")
    args = parser.parse_args()
    notes = 20_000 if args.quick else args.notes
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        Database(url).migrate()
        started = time.monotonic()
        fill(url, notes)
        took = time.monotonic() - started
        print(f"{notes:,} notes ({2 * notes:,} quotes) inserted in {took:.1f} s")
        memory: dict[int, list[tuple[int, int]]] = {}
        for workers in (1, 2):
            with running_server(url, Path(tmp) / f"logs{workers}", workers=workers) as server:
                warm(server, workers)
                memory[workers] = [memory_kib(pid) for pid in server.worker_pids()]
                if workers == 1:
                    boot, first, healthy, slowest = restart(server)
    one = memory[1][0][0]
    two_rss = sum(rss for rss, _ in memory[2])
    two_pss = sum(pss for _, pss in memory[2])
    print(
        f"restarted worker: first answer {boot:.2f} s after it started (boot), first match "
        f"{first:.2f} s, health ok {healthy:.2f} s; slowest reply after boot {slowest:.2f} s"
    )
    print(f"  first match within 1 s: {'PASS' if first <= 1 else 'FAIL'}")
    print(
        f"one worker {one / 1024:.0f} MiB RSS; two workers {two_rss / 1024:.0f} MiB RSS, "
        f"{two_pss / 1024:.0f} MiB PSS: {two_pss / one:.2f}× one"
    )
    print(f"  two workers within 1.3× one: {'PASS' if two_pss <= 1.3 * one else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
