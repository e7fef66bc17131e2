"""Cold start and index memory at scale: how soon a restarted worker answers, what it costs.

Usage: ``python bench/warm_start.py [--notes 100000] [--quotes 1000000] [--quick] [--compare]``.

Fills a SQLite database with ``--notes`` generated claim notes (two quotes each, inserted in
bulk), serves it with gunicorn, kills the only worker and times its replacement: from the new
process appearing to its first successful match, with the slowest answer a reader got
meanwhile (health says ``warming`` and matches wait at most 1 s, see ``server/warmup.py``).
Then, on a database of ``--quotes`` quotes, compares the memory of a server with one warm
worker with that of a server with two: PSS (which splits shared pages between the processes
sharing them) summed over the master and its workers, since the master holds the shared index
(``server/prefork.py``). ``--compare`` runs both again with ``GLOSS_SHARED_INDEX=0`` (each
worker builds its own index, as before), for a before-and-after within one run.

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


def host_memory_kib(server: Server) -> tuple[int, int]:
    """(RSS summed over the workers, PSS summed over the master and the workers) in KiB."""
    workers = [memory_kib(pid) for pid in server.worker_pids()]
    _, master_pss = memory_kib(server.master_pid)
    return sum(rss for rss, _ in workers), master_pss + sum(pss for _, pss in workers)


def measure_restart(url: str, logs: Path, env: dict[str, str]) -> None:
    with running_server(url, logs, workers=1, env=env, ready_timeout=900) as server:
        warm(server, 1)
        boot, first, healthy, slowest = restart(server)
    print(
        f"  restarted worker: first answer {boot:.2f} s after it started (boot), first match "
        f"{first:.2f} s, health ok {healthy:.2f} s; slowest reply after boot {slowest:.2f} s"
    )
    print(f"  first match within 1 s: {'PASS' if first <= 1 else 'FAIL'}")


def measure_memory(url: str, logs: Path, env: dict[str, str]) -> None:
    host: dict[int, tuple[int, int]] = {}
    for workers in (1, 2):
        with running_server(
            url, logs / str(workers), workers=workers, env=env, ready_timeout=900
        ) as server:
            warm(server, workers)
            host[workers] = host_memory_kib(server)
    (rss1, pss1), (rss2, pss2) = host[1], host[2]
    print(
        f"  one worker: {pss1 / 1024:.0f} MiB PSS (master + worker), worker RSS "
        f"{rss1 / 1024:.0f} MiB; two workers: {pss2 / 1024:.0f} MiB PSS, workers' RSS "
        f"{rss2 / 1024:.0f} MiB: {pss2 / pss1:.2f}× one"
    )
    print(f"  two workers within 1.3× one: {'PASS' if pss2 <= 1.3 * pss1 else 'FAIL'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 notes and 100,000 quotes")
    parser.add_argument("--compare", action="store_true", help="also with GLOSS_SHARED_INDEX=0")
    args = parser.parse_args()
    notes = 20_000 if args.quick else args.notes
    quotes = 100_000 if args.quick else args.quotes
    modes = {"shared index": {"GLOSS_SHARED_INDEX": "1"}}
    if args.compare:
        modes["one index per worker (GLOSS_SHARED_INDEX=0)"] = {"GLOSS_SHARED_INDEX": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        for count, measure in ((notes, measure_restart), (quotes // 2, measure_memory)):
            url = f"sqlite:///{tmp}/bench-{count}.db"
            Database(url).migrate()
            started = time.monotonic()
            fill(url, count)
            took = time.monotonic() - started
            print(f"{count:,} notes ({2 * count:,} quotes) inserted in {took:.1f} s")
            for name, env in modes.items():
                print(name)
                measure(url, Path(tmp) / f"logs-{count}-{env['GLOSS_SHARED_INDEX']}", env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
