"""Soak: mixed load on two gunicorn workers for five minutes; no errors, no memory growth.

Usage: ``python bench/soak.py [--seconds 300] [--database-url URL]``.

Readers match the example article without pause; curators read a note, edit it with
``If-Match`` (two curators share each note, so some edits are refused with 412, as they should
be), and now and then create a note. After a warm-up (a fifth of the run, 10 to 60 s: each
worker's allocator grows to its working size while every edit is re-indexed) the workers'
resident memory is taken, again half-way through the rest, and at the end: a leak keeps growing
between the last two, a warm-up does not. Prints requests, errors and memory;
exits 1 when there is any error (a 5xx, an unexpected status, a dropped connection) or when
the workers' memory grew by 10 % or more.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.loadgen import (  # noqa: E402
    Connection,
    Results,
    User,
    example_match_body,
    rss_kib,
    run,
    timed,
)
from tests.reliability.servers import make_token, running_server  # noqa: E402

READERS, CURATORS = 6, 4
EDITED_NOTES = 2  # each edited by CURATORS / EDITED_NOTES curators at once
CREATE_EVERY = 2.0  # default seconds between two notes created by one curator
MAX_GROWTH = 0.10


def claim(note_id: str, title: str) -> dict[str, Any]:
    return {
        "id": note_id,
        "kind": "claim",
        "title": title,
        "summary": "A claim the soak test creates and edits again and again.",
        "rating": "disputed",
        "quotes": [f"the soak test claims that note {note_id} was written by a curator today"],
        "sources": [{"title": "Source", "url": "https://example.org/soak"}],
        "status": "published",
    }


def reader(body: dict[str, Any]) -> User:
    def read(conn: Connection, results: Results) -> None:
        timed(conn, results, "match", {200}, "POST", "/v1/match", body)

    return read


def curator(auth: dict[str, str], note_id: str, number: int, create_every: float) -> User:
    """Read, edit with If-Match (200, or 412 when the other curator got there first), create."""
    counter = itertools.count()
    next_create = [time.monotonic() + create_every]

    def edit(conn: Connection, results: Results) -> None:
        path = f"/v1/notes/{note_id}"
        read = timed(conn, results, "read note", {200}, "GET", path, headers=auth)
        if read is None or read[0] != 200:
            return
        etag = read[1]["etag"]
        summary = f"Edited by curator {number}, edit {next(counter)}, at {time.time():.3f}."
        headers = {**auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"}
        timed(conn, results, "edit", {200, 412}, "PATCH", path, {"summary": summary}, headers)
        if time.monotonic() >= next_create[0]:
            next_create[0] += create_every
            new_id = f"soak-{number}-{next(counter)}"
            body = claim(new_id, f"Soak note {new_id}")
            timed(conn, results, "create", {201}, "POST", "/v1/notes", body, auth)

    return edit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a tmp dir)")
    parser.add_argument(
        "--create-every", type=float, default=CREATE_EVERY, help="seconds between creations"
    )
    args = parser.parse_args()
    warmup = min(60.0, max(10.0, args.seconds / 5))

    with tempfile.TemporaryDirectory(prefix="gloss-soak-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/gloss.db"
        with running_server(database_url, Path(tmp) / "logs", workers=2) as server:
            _, token = make_token(database_url, "curator", "Soak")
            auth = {"Authorization": f"Bearer {token}"}
            for n in range(EDITED_NOTES):
                made = server.call(
                    "POST", "/v1/notes", json_body=claim(f"edited-{n}", f"Edited {n}"), headers=auth
                )
                assert made.status == 201, made.text
            body = example_match_body()
            users = [reader(body)] * READERS + [
                curator(auth, f"edited-{n % EDITED_NOTES}", n, args.create_every)
                for n in range(CURATORS)
            ]
            workers = server.worker_pids()
            memory: dict[str, list[int]] = {}

            def sample_memory() -> None:
                time.sleep(warmup)
                memory["start"] = [rss_kib(pid) for pid in workers]
                time.sleep((args.seconds - warmup) / 2)
                memory["middle"] = [rss_kib(pid) for pid in workers]

            sampler = threading.Thread(target=sample_memory)
            sampler.start()
            results, elapsed = run(server.base_url, users, args.seconds)
            sampler.join()
            memory["end"] = [rss_kib(pid) for pid in workers]
            still = server.worker_pids()
            revisions = server.call("GET", "/v1/notes/edited-0/revisions", headers=auth).json()
            health = server.call("GET", "/v1/health").json()

    start, end = sum(memory["start"]), sum(memory["end"])
    growth = (end - start) / start
    print(f"soak: {elapsed:.0f} s, 2 gunicorn workers, {READERS} readers, {CURATORS} curators")
    print(f"requests: {results.requests} ({results.requests / elapsed:.1f}/s)")
    for kind in sorted(results.statuses):
        statuses = dict(sorted(results.statuses[kind].items()))
        print(
            f"  {kind}: {sum(statuses.values())} {json.dumps(statuses)} "
            f"p50 {results.percentile_ms(0.5, kind):.1f} ms, "
            f"p99 {results.percentile_ms(0.99, kind):.1f} ms"
        )
    print(f"errors: {results.error_count} {dict(results.errors) if results.errors else ''}")
    print(
        f"notes at the end: {health['notes']}; edited-0 has {len(revisions['revisions'])} revisions"
    )
    mib = {k: " + ".join(f"{kib / 1024:.1f}" for kib in v) for k, v in memory.items()}
    print(
        f"worker memory (RSS, MiB) after a {warmup:.0f} s warm-up: {mib['start']}; half-way: "
        f"{mib['middle']}; at the end: {mib['end']}; growth {100 * growth:+.1f} %"
    )
    failed = []
    if results.error_count:
        failed.append("errors")
    if growth >= MAX_GROWTH:
        failed.append(f"memory grew {100 * growth:.1f} % (limit {100 * MAX_GROWTH:.0f} %)")
    if still != workers:
        failed.append(f"workers changed: {workers} -> {still}")
    print("result: " + ("FAIL: " + "; ".join(failed) if failed else "pass"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
