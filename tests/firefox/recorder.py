"""A recording pass-through in front of the Gloss server.

Firefox has no request interception that a test can reach from Marionette, so the extension is
pointed at this proxy instead: it forwards every request to the real server unchanged and keeps
the bodies of `POST /v1/match` (and of every other POST), so a test can see exactly what left
the browser.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class RecordingProxy:
    """Forwards to `upstream`; `match_bodies` holds every match request body, in order."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.match_bodies: list[dict[str, Any]] = []
        self.posts: list[tuple[str, Any]] = []
        # When set, match requests are answered with this status (the server failing) instead.
        self.fail_with: int | None = None
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                is_match = self.command == "POST" and self.path.split("?", 1)[0] == "/v1/match"
                if self.command == "POST":
                    sent = json.loads(body) if body else {}
                    with proxy._lock:
                        proxy.posts.append((self.path, sent))
                        if is_match:
                            proxy.match_bodies.append(sent)
                if is_match and proxy.fail_with:
                    self._fail(proxy.fail_with)
                    return
                request = urllib.request.Request(
                    proxy.upstream + self.path, data=body, method=self.command
                )
                for name in ("Content-Type", "Accept", "Origin"):
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, headers, payload = (
                            response.status,
                            response.headers,
                            response.read(),
                        )
                except urllib.error.HTTPError as error:
                    status, headers, payload = error.code, error.headers, error.read()
                self._answer(status, headers.items(), payload)

            def _fail(self, status: int) -> None:
                problem = {"type": "about:blank", "title": "Unavailable", "status": status}
                payload = json.dumps(problem).encode()
                self._answer(status, [("Content-Type", "application/problem+json")], payload)

            def _answer(self, status: int, headers: Any, payload: bytes) -> None:
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in {"connection", "transfer-encoding", "content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_OPTIONS = _forward  # noqa: N815 - the http.server API

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def sent(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.match_bodies)

    def posted(self) -> list[tuple[str, Any]]:
        """(path, JSON body) of every POST, in order."""
        with self._lock:
            return list(self.posts)

    def clear(self) -> None:
        with self._lock:
            self.match_bodies.clear()
            self.posts.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
