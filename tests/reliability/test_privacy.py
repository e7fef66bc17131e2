"""Privacy: what a reader's page sends is used to match and then forgotten.

Passages carrying unique marker strings, on a page whose URL carries markers too (path, query,
fragment), are matched through a real gunicorn server logging at DEBUG. Afterwards no marker is
in the access or error logs, in any table of the database (nor in the SQLite files' bytes), or
in any response except the anchors of that very match. The logs hold a SHA-256 of the page URL
and nothing else of it, and the access log no query string. README.md ("Privacy") says it in words.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import dump_database, make_token, running_server

QUOTE = NEW_CLAIM["quotes"][0]


def _markers() -> dict[str, str]:
    return {part: f"PRIV{part.upper()}{uuid.uuid4().hex[:12]}" for part in ("text", "id", "url")}


def _without_anchors(match: dict[str, Any]) -> dict[str, Any]:
    return {**match, "cards": [{**c, "anchors": []} for c in match["cards"]]}


def _sqlite_bytes(database_url: str) -> bytes:
    path = Path(database_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_page_text_and_address_leave_no_trace_but_a_hash(
    backend: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(backend)
    mark = _markers()
    page_url = f"https://private.example/{mark['url']}/story?ref={mark['url']}#{mark['url']}"
    page = {
        "url": page_url,
        "passages": [
            {"id": "p0", "text": f"{mark['text']} wrote that {QUOTE}, {mark['text']} added."},
            {"id": f"p-{mark['id']}", "text": f"Nothing to see here but {mark['text']}."},
            {"id": "p2", "text": f"Contact {mark['text']}@mail.example or call 555-{mark['text']}"},
        ],
    }
    with running_server(
        database_url, tmp_path / "logs", env={"GLOSS_LOG_LEVEL": "DEBUG"}
    ) as server:
        _, secret = make_token(database_url, "curator", "Privacy Curator")
        curator = {"Authorization": f"Bearer {secret}"}
        note = server.call("POST", "/v1/notes", json_body=NEW_CLAIM, headers=curator).json()

        matches = [server.call("POST", "/v1/match", json_body=page) for _ in range(4)]
        feedback = server.call(
            "POST",
            f"/v1/cards/{note['id']}/feedback",
            json_body={"helpful": False, "reason": "unclear"},
        )
        searched = server.call("GET", f"/v1/notes?q={mark['url']}", headers=curator)
        others = [
            server.call("GET", "/v1/health"),
            server.call("GET", "/v1/notes?limit=200", headers=curator),
            server.call("GET", f"/v1/notes/{note['id']}", headers=curator),
            server.call("GET", f"/v1/notes/{note['id']}/revisions", headers=curator),
            server.call("GET", f"/v1/notes/{note['id']}/revisions/1", headers=curator),
            *[
                server.call("GET", f"/v1/export?format={f}")
                for f in ("bundle", "claimreview", "webannotation")
            ],
            server.call("GET", "/v1/openapi.json"),
        ]
        logs = server.logs()
    database = dump_database(database_url)
    raw_files = _sqlite_bytes(database_url) if backend == "sqlite" else b""

    markers = list(mark.values())
    bodies = [json.loads(m.body) for m in matches]
    assert all(m.status == 200 for m in matches)
    assert feedback.status == 201
    assert searched.status == 200  # its query string is not in the access log either
    card = next(c for c in bodies[0]["cards"] if c["note_id"] == note["id"])
    assert mark["text"] in json.dumps(card["anchors"]), "the anchor's context is the page's own"
    for body in bodies:
        rest = json.dumps(_without_anchors(body))
        assert not [m for m in markers if m in rest]
    for reply in others:
        assert reply.status == 200
        assert not [m for m in markers if m in reply.text]
    assert not [m for m in markers if m in logs]
    assert not [m for m in markers if m in database]
    assert not [m for m in markers if m.encode() in raw_files]
    assert "private.example" not in logs
    digest = hashlib.sha256(page_url.encode()).hexdigest()
    assert logs.count(f"page_sha256={digest} passages=3 cards=") == len(matches)
    assert '"POST /v1/match" 200' in logs
