"""Sign-in, sessions, CSRF, roles and security headers of the console (over HTTP)."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask

from tests.conftest import make_token
from tests.console.conftest import CLAIM_FORM, Console

PAGES = ["/console/notes", "/console/notes/new", "/console/feedback", "/console/import"]


def test_pages_send_anonymous_visitors_to_sign_in(app: Flask) -> None:
    console = Console(app.test_client())

    responses = [console.get(page) for page in PAGES]

    assert all(r.status_code == 302 for r in responses)
    assert all(r.headers["Location"].startswith("/console/sign-in?next=") for r in responses)


def test_sign_in_sets_a_strict_http_only_cookie_and_keeps_the_token_out_of_logs(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    secret = make_token(app, "curator", "Casey")
    console = Console(app.test_client())
    caplog.set_level(logging.DEBUG)

    response = console.sign_in(secret)

    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 303
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/console" in cookie
    assert "Secure" not in cookie  # plain http here; see the TLS test below
    assert secret not in cookie
    assert secret not in caplog.text
    assert secret not in response.headers["Location"]
    assert console.get("/console/notes").status_code == 200


def test_session_cookie_is_secure_over_tls(app: Flask) -> None:
    secret = make_token(app, "curator", "Casey")
    console = Console(app.test_client())
    console.get("/console/sign-in", base_url="https://gloss.example")

    response = console.post(
        "/console/sign-in",
        {"token": secret},
        base_url="https://gloss.example",
        headers={"Referer": "https://gloss.example/console/sign-in"},
    )

    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]
    # Browsers send that Referer only because console pages allow it for same-origin requests.
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_token_is_refused_without_a_session(app: Flask) -> None:
    console = Console(app.test_client())

    response = console.sign_in("not-a-real-token")

    assert response.status_code == 401
    assert "unknown or revoked" in response.get_data(as_text=True)
    assert console.get("/console/notes").status_code == 302


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/console/sign-in", {"token": "x"}),
        ("/console/sign-out", {}),
        ("/console/notes/new", CLAIM_FORM),
        ("/console/notes/global-research/status", {"action": "retire", "version": "1"}),
        ("/console/notes/global-research/history/1/restore", {"version": "1"}),
        ("/console/notes/global-research/feedback/handled", {}),
        ("/console/import", {}),
    ],
)
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_forms_without_the_right_csrf_token_are_403(
    desk: Console, path: str, data: dict[str, str], token: str | None
) -> None:
    desk.get("/console/notes")
    sent = data if token is None else {**data, "csrf_token": token}

    response = desk.post(path, sent, csrf=False)

    assert response.status_code == 403
    assert "security token" in response.get_data(as_text=True)
    assert desk.get("/console/notes/global-research").status_code == 200


def test_curator_cannot_reach_admin_pages(desk: Console) -> None:
    desk.get("/console/notes")

    assert desk.get("/console/tokens").status_code == 403
    assert desk.post("/console/tokens", {"name": "sneaky", "role": "admin"}).status_code == 403
    assert desk.post("/console/tokens/1/revoke", {}).status_code == 403
    assert 'href="/console/tokens"' not in desk.get("/console/notes").get_data(as_text=True)


@pytest.mark.parametrize("page", [*PAGES, "/console/notes/global-research", "/console/tokens"])
def test_every_console_page_has_a_strict_csp(boss: Console, page: str) -> None:
    response = boss.get(page)

    csp = response.headers["Content-Security-Policy"]
    assert response.status_code == 200
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True)


def test_revoking_a_token_ends_its_console_sessions(app: Flask, boss: Console) -> None:
    secret = make_token(app, "curator", "Leaving")
    leaver = Console(app.test_client())
    leaver.sign_in(secret)
    page = boss.get("/console/tokens").get_data(as_text=True)
    token_id = re.search(
        r'/console/tokens/(\d+)/revoke"[^<]*<input[^>]*>\s*<button[^>]*Revoke Leaving', page
    )
    assert token_id is not None

    boss.post(f"/console/tokens/{token_id.group(1)}/revoke", {})

    assert leaver.get("/console/notes").status_code == 302


def test_sign_out_ends_the_session(desk: Console) -> None:
    desk.get("/console/notes")

    response = desk.post("/console/sign-out", {})

    assert response.status_code == 303
    assert desk.get("/console/notes").status_code == 302
