"""A large import never makes readers' feedback or curators' writes wait more than a second.

The import is written in short batches; other writers get the lock between them. Run against
two real gunicorn workers, on SQLite (one write lock for the whole file) and PostgreSQL (the
catalog row lock every note write takes).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Reply, make_token, running_server

NOTES = 600
WAIT_LIMIT = 1.0


def bundle(count: int) -> dict[str, object]:
    """``count`` distinct claim notes made of our own words."""
    notes = [
        {
            "id": f"harbour-claim-{i}",
            "kind": "claim",
            "title": f"Harbour bridge claim number {i}",
            "summary": "A made-up claim used to fill a large import in tests.",
            "rating": "false",
            "quotes": [f"the harbour bridge was painted bright green {i} times in one winter"],
            "sources": [{"title": "Harbour office", "url": f"https://harbour.example/{i}"}],
            "status": "published",
        }
        for i in range(count)
    ]
    return {"format": "gloss-bundle", "version": 1, "notes": notes}


@pytest.mark.parametrize("backend", BACKENDS)
def test_readers_and_curators_write_within_a_second_during_a_large_import(
    backend: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(backend)
    with running_server(database_url, tmp_path / "logs") as server:
        _, secret = make_token(database_url, "curator", "Importer")
        auth = {"Authorization": f"Bearer {secret}"}
        results: dict[str, Reply] = {}

        def run_import() -> None:
            results["import"] = server.call(
                "POST", "/v1/import", json_body=bundle(NOTES), headers=auth, timeout=300
            )

        importer = threading.Thread(target=run_import)
        importer.start()
        time.sleep(0.5)  # the import is parsed and validated, and writing
        waits: list[tuple[float, int]] = []
        number = 0
        while importer.is_alive():
            started = time.monotonic()
            reply = server.call(
                "POST", "/v1/cards/south-front/feedback", json_body={"helpful": True}
            )
            waits.append((time.monotonic() - started, reply.status))
            number += 1
            if number % 5 == 0:
                started = time.monotonic()
                body = NEW_CLAIM | {"id": f"curator-write-{number}"}
                reply = server.call("POST", "/v1/notes", json_body=body, headers=auth)
                waits.append((time.monotonic() - started, reply.status))
            time.sleep(0.05)
        importer.join()

    assert results["import"].status == 200, results["import"].text[:500]
    assert len(results["import"].json()["created"]) == NOTES
    assert max(wait for wait, _ in waits) < WAIT_LIMIT
    assert {status for _, status in waits} <= {201}
    assert len(waits) >= 2, "the import finished before the test could measure anything"
