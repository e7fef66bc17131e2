"""No lost updates: concurrent edits of one note through two gunicorn workers.

Fifty curators send a PATCH with the same ``If-Match`` at the same instant. Whatever worker and
database connection each lands on, exactly one edit wins, the other 49 are told the note moved
on (412), and the history gains exactly one revision, the winner's.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Reply, Server, make_token, running_server

EDITORS = 50
# A worker stops accepting past this many open connections, so the burst spreads over both
# workers instead of one worker's accept loop taking all fifty.
SPREAD = ("--worker-connections", "8")
MAX_ROUNDS = 10


def _edit_all_at_once(server: Server, note_id: str, etag: str, auth: dict[str, str]) -> list[Reply]:
    start = threading.Barrier(EDITORS)

    def edit(number: int) -> Reply:
        start.wait()
        return server.call(
            "PATCH",
            f"/v1/notes/{note_id}",
            json_body={"summary": f"Edit number {number} of {EDITORS} concurrent edits."},
            headers={**auth, "If-Match": etag, "Content-Type": "application/merge-patch+json"},
        )

    with ThreadPoolExecutor(EDITORS) as pool:
        return list(pool.map(edit, range(EDITORS)))


@dataclass
class Round:
    """One burst of edits on a fresh note, and what the server holds afterwards."""

    replies: list[Reply]
    note: dict[str, Any]
    history: dict[str, Any]
    latest: dict[str, Any]
    pids: set[str]


def _round(server: Server, auth: dict[str, str], number: int) -> Round:
    body = {**NEW_CLAIM, "id": f"contested-{number}"}
    created = server.call("POST", "/v1/notes", json_body=body, headers=auth)
    note_id, etag = created.json()["id"], str(created.header("ETag"))
    seen = len(server.access_log.read_text().splitlines())

    replies = _edit_all_at_once(server, note_id, etag, auth)

    lines = server.access_log.read_text().splitlines()[seen:]
    return Round(
        replies,
        server.call("GET", f"/v1/notes/{note_id}", headers=auth).json(),
        server.call("GET", f"/v1/notes/{note_id}/revisions", headers=auth).json(),
        server.call("GET", f"/v1/notes/{note_id}/revisions/2", headers=auth).json(),
        {line.rsplit("pid=", 1)[1] for line in lines if '"PATCH /v1/notes/' in line},
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_concurrent_patches_with_one_if_match_make_exactly_one_revision(
    backend: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(backend)
    rounds: list[Round] = []
    with running_server(database_url, tmp_path / "logs", extra_args=SPREAD) as server:
        _, secret = make_token(database_url, "curator", "Concurrent Curator")
        auth = {"Authorization": f"Bearer {secret}"}
        # Which worker accepts each connection is the kernel's choice: burst again (on a new
        # note) until one burst has reached both workers. Every burst must hold all the same.
        while not rounds or (len(rounds[-1].pids) < 2 and len(rounds) < MAX_ROUNDS):
            rounds.append(_round(server, auth, len(rounds)))

    for burst in rounds:
        statuses = Counter(r.status for r in burst.replies)
        assert statuses == {200: 1, 412: EDITORS - 1}, statuses
        winner = next(r for r in burst.replies if r.status == 200).json()
        assert all(r.json()["current_version"] == 2 for r in burst.replies if r.status == 412)
        assert burst.note["version"] == 2
        assert burst.note["summary"] == winner["summary"]
        assert [r["number"] for r in burst.history["revisions"]] == [1, 2]
        assert burst.latest["version"] == 2
        assert burst.latest["note"]["summary"] == winner["summary"]
    assert len(rounds[-1].pids) == 2, f"no burst of {len(rounds)} reached both workers"
    print(f"\n{backend}: {len(rounds)} burst(s) of {EDITORS}: each 1 x 200, {EDITORS - 1} x 412")
