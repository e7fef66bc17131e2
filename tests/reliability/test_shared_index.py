"""The match index is built once, in the gunicorn master, and inherited by every worker: a new
or restarted worker reads from the database only the notes written since the master's build,
and still answers with the current notes (server/prefork.py)."""

from __future__ import annotations

import os
import re
import signal
import time
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Server, make_token, prepare_database, running_server
from tests.reliability.test_warmup import fill, quote

NOTES = 2_000
NEW_WORDING = "the harbor lantern glowed over the quiet granite pier all night"


def rows_read(server: Server) -> int:
    """Note rows the live workers' indexes read from the database (``/metrics``)."""
    found = re.search(r"^gloss_index_rows_read (\S+)$", server.call("GET", "/metrics").text, re.M)
    assert found, "gloss_index_rows_read is not exposed"
    return int(float(found.group(1)))


def cards_for(server: Server, text: str) -> list[str]:
    page = {"url": "https://www.example.org/a", "passages": [{"id": "p", "text": text}]}
    reply = server.call("POST", "/v1/match", json_body=page)
    assert reply.status == 200, reply.text
    return [card["note_id"] for card in reply.json()["cards"]]


def replace_worker(server: Server) -> None:
    """Kill the only worker and wait until its replacement answers health with ok."""
    [old] = server.worker_pids()
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.worker_pids() in ([], [old]):
        time.sleep(0.05)
    server.wait_for_workers(1)


def started(database_url: str, log_dir: Path, shared: bool) -> AbstractContextManager[Server]:
    """A one-worker server over ``NOTES`` notes written before it started."""
    prepare_database(database_url, seed_notes=False)
    fill(database_url, NOTES)
    env = {"GLOSS_SHARED_INDEX": "1" if shared else "0"}
    return running_server(database_url, log_dir, workers=1, seed_notes=False, env=env)


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_restarted_worker_inherits_the_index_and_reads_only_the_changes(
    kind: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(kind)
    with started(database_url, tmp_path / "logs", shared=True) as server:
        read_at_start = rows_read(server)
        _, token = make_token(database_url, "curator")
        auth = {"Authorization": f"Bearer {token}"}
        etag = str(server.call("GET", "/v1/notes/orchard-5", headers=auth).header("ETag"))
        edited = server.call(
            "PATCH",
            "/v1/notes/orchard-5",
            json_body={"quotes": [NEW_WORDING]},
            headers={**auth, "If-Match": etag},
        )
        retired = server.call("DELETE", "/v1/notes/orchard-6", headers=auth)
        replace_worker(server)  # forks from the master, whose index predates both writes
        read_after_restart = rows_read(server)
        new_wording = cards_for(server, f"They wrote that {NEW_WORDING}.")
        old_wording = cards_for(server, f"They wrote that {quote(10)}.")
        retired_quote = cards_for(server, f"They wrote that {quote(12)}.")
        untouched = cards_for(server, f"They wrote that {quote(14)}.")

    assert (edited.status, retired.status) == (200, 204), (edited.text, retired.text)
    assert read_at_start == 0
    assert read_after_restart == 2
    assert new_wording == ["orchard-5"]
    assert old_wording == []
    assert retired_quote == []
    assert untouched == ["orchard-7"]


def test_without_a_shared_index_each_worker_reads_every_note(
    new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database("sqlite")
    with started(database_url, tmp_path / "logs", shared=False) as server:
        read = rows_read(server)
        found = cards_for(server, f"They wrote that {quote(14)}.")

    assert read == NOTES
    assert found == ["orchard-7"]
