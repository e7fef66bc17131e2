"""Matching throughput over HTTP: two gunicorn workers, 10,000 notes, the example article.

Usage: ``python bench/load.py [--seconds 30] [--notes 10000] [--users 4] [--database-url URL]``.

Loads the notes through ``POST /v1/import`` (Gloss bundles of 500), warms both workers up, then
keeps ``--users`` closed-loop clients (one keep-alive connection each, no pause) sending the
example article's ``POST /v1/match`` for ``--seconds``, and prints requests per second, p50 and
p99 latency and errors. Quotes are the real sentences of ``../shared/external/republished-bbc/
distractor_quotes.txt`` when it is there (read at run time, never copied), generated sentences
otherwise. Load generator and server share the machine's cores. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.matching import quote_problem  # noqa: E402
from tests.reliability.loadgen import (  # noqa: E402
    Connection,
    Results,
    example_match_body,
    run,
    timed,
)
from tests.reliability.servers import REPO, Server, make_token, running_server  # noqa: E402

DISTRACTORS = REPO.parent / "shared" / "external" / "republished-bbc" / "distractor_quotes.txt"
BATCH = 500
SEED = 20261124
# fmt: off
WORDS = (
    "minister", "council", "report", "police", "market", "company", "court", "plans",
    "government", "election", "border", "army", "rebels", "village", "hospital", "school",
    "budget", "tax", "oil", "gas", "bank", "prices", "workers", "union", "strike", "river",
    "bridge", "airport", "railway", "farmers", "harvest", "drought", "flood", "storm", "coast",
    "island", "mountain", "region", "province", "capital", "mayor", "governor", "senator",
    "judge", "lawyer", "witness", "victims", "officials",
)
# fmt: on


def quotes(count: int) -> tuple[list[str], str]:
    """``count`` matchable quotes, and where they came from."""
    real: list[str] = []
    if DISTRACTORS.is_file():
        lines = DISTRACTORS.read_text(encoding="utf-8").splitlines()
        real = [q for q in lines if 20 <= len(q) <= 2000 and not quote_problem(q)]
    rng = random.Random(SEED)
    made: list[str] = []
    while len(real) + len(made) < count:
        made.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + ".")
    source = f"{min(count, len(real))} real (distractor_quotes.txt), {len(made)} generated"
    return (real + made)[:count], source


def bundle(first: int, texts: list[str]) -> dict[str, object]:
    return {
        "format": "gloss-bundle",
        "version": 1,
        "notes": [
            {
                "id": f"load-{first + i:05d}",
                "kind": "claim",
                "title": f"Load test claim {first + i}",
                "summary": "A claim loaded to measure matching with a large database.",
                "rating": "disputed",
                "quotes": [text],
                "sources": [{"title": "Source", "url": f"https://example.org/{first + i}"}],
                "status": "published",
            }
            for i, text in enumerate(texts)
        ],
    }


def load_notes(server: Server, token: str, texts: list[str]) -> float:
    """Import the notes in bundles; returns the seconds it took."""
    started = time.monotonic()
    auth = {"Authorization": f"Bearer {token}"}
    for first in range(0, len(texts), BATCH):
        reply = server.call(
            "POST",
            "/v1/import",
            json_body=bundle(first, texts[first : first + BATCH]),
            headers=auth,
            timeout=300,
        )
        if reply.status != 200:
            raise SystemExit(f"import failed: {reply.status} {reply.text[:500]}")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a tmp dir)")
    args = parser.parse_args()

    body = example_match_body()
    cards: list[int] = []

    def reader(conn: Connection, results: Results) -> None:
        answer = timed(conn, results, "match", {200}, "POST", "/v1/match", body)
        if answer is not None and answer[0] == 200 and not cards:
            cards.append(len(json.loads(answer[2])["cards"]))

    with tempfile.TemporaryDirectory(prefix="gloss-load-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/gloss.db"
        with running_server(database_url, Path(tmp) / "logs", workers=2) as server:
            _, token = make_token(database_url, "curator", "Load")
            texts, source = quotes(args.notes)
            import_seconds = load_notes(server, token, texts)
            notes = server.call("GET", "/v1/health").json()["notes"]
            run(server.base_url, [reader] * args.users, min(10.0, args.seconds / 3))  # warm-up
            cards.clear()
            results, elapsed = run(server.base_url, [reader] * args.users, args.seconds)

    print(f"notes: {notes} published ({args.notes} loaded: {source}) in {import_seconds:.1f} s")
    passages = body["passages"]
    print(
        f"page: the example article, {len(passages)} passages "
        f"({sum(len(p['text']) for p in passages)} characters), "
        f"{cards[0] if cards else '?'} cards"
    )
    print(f"load: 2 gunicorn workers, {args.users} closed-loop clients, {elapsed:.1f} s")
    print(f"requests: {results.requests}")
    print(f"requests/s: {results.requests / elapsed:.1f}")
    print(f"p50: {results.percentile_ms(0.50):.1f} ms")
    print(f"p99: {results.percentile_ms(0.99):.1f} ms")
    print(f"errors: {results.error_count} {dict(results.errors) if results.errors else ''}")
    return 1 if results.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
