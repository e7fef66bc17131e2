"""Authentication and roles through a real gunicorn server, with its logs captured.

Missing, malformed, unknown and revoked tokens are refused with 401 and a ``WWW-Authenticate``
challenge; a curator asking for an admin operation gets 403 and changes nothing. No secret,
valid or not, ever shows up in the server's logs, in an error body, or in the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import NEW_CLAIM
from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import Reply, Server, dump_database, make_token, running_server


@dataclass
class Site:
    server: Server
    curator: str
    admin: str
    secrets_seen: set[str] = field(default_factory=set)
    bodies: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Reply:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
            self.secrets_seen.add(token)
        reply = self.server.call(method, path, headers=headers, **kwargs)
        self.bodies.append(reply.text)
        return reply


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest,
    new_database: NewDatabase,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    database_url = new_database(request.param)
    env = {"GLOSS_LOG_LEVEL": "DEBUG"}  # the most the server ever logs
    with running_server(database_url, tmp_path_factory.mktemp("auth"), env=env) as server:
        _, curator = make_token(database_url, "curator", "Auth Curator")
        _, admin = make_token(database_url, "admin", "Auth Admin")
        yield Site(server, curator, admin)


def _assert_unauthorized(reply: Reply, error: str | None) -> None:
    assert reply.status == 401
    assert reply.header("Content-Type") == "application/problem+json"
    challenge = str(reply.header("WWW-Authenticate"))
    assert challenge.startswith('Bearer realm="gloss"')
    if error:
        assert f'error="{error}"' in challenge


WRITES = [
    ("POST", "/v1/notes", NEW_CLAIM),
    ("PATCH", "/v1/notes/global-research", {"summary": "Changed by someone without a token."}),
    ("DELETE", "/v1/notes/global-research", None),
    ("POST", "/v1/import", {"gloss_bundle": 1, "notes": []}),
    ("POST", "/v1/tokens", {"name": "intruder", "role": "admin"}),
    ("GET", "/v1/tokens", None),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_without_a_token_is_401_with_a_challenge(
    site: Site, method: str, path: str, body: Any
) -> None:
    reply = site.call(method, path, json_body=body, headers={"If-Match": "*"})

    _assert_unauthorized(reply, None)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "Token gloss_abc",
        "gloss_abc",
        "Bearer " + "x" * 201,
        "Bearer\tgloss_tab",
        "Bearer gloss_\u00e9\u00e8",  # Latin-1 bytes in the header
    ],
)
def test_a_malformed_authorization_header_is_401_even_on_reads(site: Site, header: str) -> None:
    site.secrets_seen.add(header.partition(" ")[2] or header)

    reply = site.server.call("GET", "/v1/notes", headers={"Authorization": header})
    site.bodies.append(reply.text)

    assert reply.status == 401
    assert reply.header("Content-Type") == "application/problem+json"
    assert str(reply.header("WWW-Authenticate")).startswith('Bearer realm="gloss"')


def test_an_unknown_token_is_401_not_anonymous(site: Site) -> None:
    unknown = "gloss_" + secrets.token_urlsafe(32)

    reply = site.call("GET", "/v1/notes", unknown)

    _assert_unauthorized(reply, "invalid_token")


def test_a_revoked_token_stops_working_at_once(site: Site) -> None:
    created = site.call(
        "POST", "/v1/tokens", site.admin, json_body={"name": "Short-lived", "role": "curator"}
    ).json()
    secret = created["token"]
    before = site.call("POST", "/v1/notes", secret, json_body={**NEW_CLAIM, "id": "revoked-1"})

    revoked = site.call("DELETE", f"/v1/tokens/{created['id']}", site.admin)
    after = [
        site.call("POST", "/v1/notes", secret, json_body={**NEW_CLAIM, "id": f"revoked-{n}"})
        for n in (2, 3)  # both workers, most likely: each checks the database
    ]

    assert before.status == 201
    assert revoked.status == 204
    for reply in after:
        _assert_unauthorized(reply, "invalid_token")
    assert site.call("GET", "/v1/notes/revoked-2", site.admin).status == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/tokens", {"name": "Escalated", "role": "admin"}),
        ("POST", "/v1/tokens", {"name": "Another curator", "role": "curator"}),
        ("GET", "/v1/tokens", None),
        ("DELETE", "/v1/tokens/1", None),
        ("DELETE", "/v1/notes/global-research?purge=true", None),
    ],
)
def test_a_curator_cannot_do_what_only_admins_may(
    site: Site, method: str, path: str, body: Any
) -> None:
    def tokens() -> list[tuple[int, str, str, str | None]]:
        listed = site.call("GET", "/v1/tokens", site.admin).json()["tokens"]
        return [(t["id"], t["name"], t["role"], t["revoked_at"]) for t in listed]

    before = tokens()

    reply = site.call(method, path, site.curator, json_body=body)

    assert reply.status == 403
    assert reply.header("Content-Type") == "application/problem+json"
    assert tokens() == before
    assert site.call("GET", "/v1/notes/global-research", site.admin).status == 200


def test_an_admin_token_shows_its_secret_once_and_never_again(site: Site) -> None:
    created = site.call(
        "POST", "/v1/tokens", site.admin, json_body={"name": "Once", "role": "admin"}
    )
    secret = created.json()["token"]

    listed = site.call("GET", "/v1/tokens", site.admin)

    assert created.status == 201
    assert created.header("Cache-Control") == "no-store"
    assert secret not in listed.text
    assert site.call("GET", "/v1/tokens", secret).status == 200


def test_no_secret_reaches_the_logs_error_bodies_or_the_database(site: Site) -> None:
    # runs last in this module: every secret the tests above sent is in site.secrets_seen
    site.call("GET", "/v1/notes?cursor=bad", site.curator)  # an error while authenticated
    site.call("GET", "/v1/nowhere", site.curator)
    logs = site.server.logs()
    database = dump_database(site.server.database_url)
    error_bodies = [b for b in site.bodies if '"status": 4' in b or '"status":4' in b]

    leaks = [
        s
        for s in site.secrets_seen
        if len(s) >= 8 and (s in logs or s in database or any(s in b for b in error_bodies))
    ]

    assert len(site.secrets_seen) > 10
    assert leaks == []
