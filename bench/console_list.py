"""The console's notes list at scale: page times with 100,000 notes on SQLite.

Usage: ``python bench/console_list.py [--notes 100000] [--repeat 20]``.

Bulk-inserts generated notes (no page text, no shared data), signs a curator in to the console
through its real form, then times ``GET /console/notes`` in-process: the first page, a page
half-way through (keyset ``after=``), the last page, a kind and status filter, and a text search
(which scans). Prints the median and the slowest of ``--repeat`` requests for each.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, update  # noqa: E402

from server import create_app  # noqa: E402
from server.store import tokens as token_store  # noqa: E402
from server.store.models import CatalogState, Note, utcnow  # noqa: E402
from server.store.search_text import fold  # noqa: E402

KINDS = ("claim", "sourcing")


def notes(count: int) -> list[dict[str, object]]:
    now = utcnow()
    rows = []
    for i in range(count):
        title = f"Generated claim number {i} about topic {i % 97}"
        summary = f"A generated summary for note {i}, long enough for the rules."
        quote = f"generated quote words for note number {i} in the benchmark set"
        rows.append(
            {
                "id": f"note-{i:07d}",
                "kind": KINDS[i % 2],
                "title": title,
                "summary": summary,
                "body": None,
                "rating": "false" if i % 2 == 0 else None,
                "quotes": [quote],
                "domains": [],
                "aliases": [],
                "sources": [{"title": "Source", "url": "https://example.org/"}],
                "status": "published" if i % 3 else "draft",
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "seq": i + 1,
                "search_text": fold(f"{title}\n{summary}\n{quote}"),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    app = create_app({"database_url": f"sqlite:///{tmp / 'gloss.db'}", "seed_notes_dir": ""})
    database = app.extensions["gloss.database"]
    started = time.perf_counter()
    rows = notes(args.notes)
    with database.transaction() as session:
        for i in range(0, len(rows), 5000):
            session.execute(insert(Note), rows[i : i + 5000])
        session.execute(update(CatalogState).values(generation=len(rows)))
        _, secret = token_store.create(session, "Bench", "curator")
    print(f"inserted {args.notes} notes in {time.perf_counter() - started:.1f} s")

    client = app.test_client()
    page = client.get("/console/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert (
        client.post("/console/sign-in", data={"token": secret, "csrf_token": csrf}).status_code
        == 303
    )
    half, last = f"note-{args.notes // 2:07d}", f"note-{args.notes - 40:07d}"
    cases = {
        "first page": "/console/notes",
        "half-way (after=)": f"/console/notes?after={half}",
        "last page": f"/console/notes?after={last}",
        "status=published": "/console/notes?status=published",
        "kind=claim&status=draft": "/console/notes?kind=claim&status=draft",
        "search q=topic 42": "/console/notes?q=topic+42",
    }
    print(f"{'GET /console/notes':28} {'median ms':>10} {'max ms':>8}")
    for name, path in cases.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - t) * 1000)
        print(f"{name:28} {statistics.median(times):10.1f} {max(times):8.1f}")
    database.dispose()


if __name__ == "__main__":
    main()
