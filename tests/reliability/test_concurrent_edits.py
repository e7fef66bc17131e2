"""No lost updates: concurrent edits of one note through two gunicorn workers.

Fifty curators send a PATCH with the same ``If-Match`` at the same instant. Whatever worker and
database connection each lands on, exactly one edit wins, the other 49 are told the note moved
on (412), and the history gains exactly one revision, the winner's.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Reply, Server, make_token, running_server

EDITORS = 50
# A worker stops accepting past this many open connections, so the burst spreads over both
# workers instead of one worker's accept loop taking all fifty.
SPREAD = ("--worker-connections", "8")


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_fifty_concurrent_patches_with_one_if_match_make_exactly_one_revision(
    backend: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(backend)
    with running_server(database_url, tmp_path / "logs", extra_args=SPREAD) as server:
        _, secret = make_token(database_url, "curator", "Concurrent Curator")
        auth = {"Authorization": f"Bearer {secret}"}
        created = server.call("POST", "/v1/notes", json_body=NEW_CLAIM, headers=auth)
        note_id, etag = created.json()["id"], str(created.header("ETag"))

        replies = _edit_all_at_once(server, note_id, etag, auth)

        note = server.call("GET", f"/v1/notes/{note_id}", headers=auth).json()
        history = server.call("GET", f"/v1/notes/{note_id}/revisions", headers=auth).json()
        latest = server.call("GET", f"/v1/notes/{note_id}/revisions/2", headers=auth).json()
        patch_pids = {
            line.rsplit("pid=", 1)[1]
            for line in server.access_log.read_text().splitlines()
            if '"PATCH /v1/notes/' in line
        }

    statuses = Counter(r.status for r in replies)
    assert statuses == {200: 1, 412: EDITORS - 1}, statuses
    winner = next(r for r in replies if r.status == 200).json()
    assert all(r.json()["current_version"] == 2 for r in replies if r.status == 412)
    assert note["version"] == 2
    assert note["summary"] == winner["summary"]
    assert [r["number"] for r in history["revisions"]] == [1, 2]
    assert latest["version"] == 2
    assert latest["note"]["summary"] == winner["summary"]
    assert len(patch_pids) == 2, "both workers should have taken some of the edits"
