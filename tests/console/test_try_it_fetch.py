""" "Try it" by address, where the operator allowed outbound fetches (GLOSS_CONSOLE_FETCH)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.console.conftest import CLAIM_FORM, Console

PAGE = (
    b"<html><body><p>Intro.</p><p>Some say the moon landings were filmed in a studio in the "
    b"Nevada desert by Kubrick himself.</p></body></html>"
)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        kind = "image/png" if self.path.endswith(".png") else "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server API
        return


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "console_fetch": True}


def test_try_it_fetches_the_page_when_allowed(desk: Console, site: str) -> None:
    desk.get("/console/notes/new")

    response = desk.post(
        "/console/notes/new", {**CLAIM_FORM, "action": "try", "page_url": f"{site}/article"}
    )

    assert response.status_code == 200
    assert '<tr class="tier-exact">' in response.get_data(as_text=True)


def test_try_it_refuses_what_is_not_a_page(desk: Console, site: str) -> None:
    desk.get("/console/notes/new")

    image = desk.post(
        "/console/notes/new", {**CLAIM_FORM, "action": "try", "page_url": f"{site}/a.png"}
    )
    other = desk.post(
        "/console/notes/new", {**CLAIM_FORM, "action": "try", "page_url": "file:///etc/passwd"}
    )

    assert image.status_code == 422
    assert "not text or HTML" in image.get_data(as_text=True)
    assert other.status_code == 422
    assert "root:" not in other.get_data(as_text=True)
