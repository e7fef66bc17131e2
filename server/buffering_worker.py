"""A gunicorn worker that reads each request whole before a thread sees it, like nginx.

gunicorn's threaded worker hands a connection to a thread as soon as bytes arrive, and the
thread then blocks reading the body: eight connections that send headers and never the body
took every thread of a default server. Here the worker's event loop (which already watches
idle keep-alive connections) also reads requests: without blocking, into a buffer per
connection, until the headers and the whole body (``Content-Length``, or a chunked body's
last chunk) are in. Only then does a thread take the request, and it reads from memory.

So an idle or slow client costs a socket and its buffer, never a thread. A request that is
not complete within ``GLOSS_READ_TIMEOUT`` seconds is answered 408 and closed; the bytes
buffered by one worker are bounded (``MAX_BUFFERED_BYTES``), past which new requests are
answered 503. A body announced larger than ``GLOSS_MAX_BODY_BYTES`` goes to the app at once,
which refuses it (413) without reading it.

This relies on the internals of gunicorn's ``ThreadWorker`` (pinned in pyproject.toml);
``tests/reliability/test_slow_clients.py`` runs the attack against the real thing.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gunicorn import http
from gunicorn.workers.gthread import ThreadWorker

MAX_HEAD_BYTES = 64 * 1024
"""Past this without the end of the headers, gunicorn's parser answers (it refuses them)."""
MAX_BUFFERED_BYTES = 256 * 1024 * 1024
"""Request bytes one worker holds while waiting for the rest of their requests."""
RECV_BYTES = 256 * 1024


def _problem(status: int, title: str, detail: str, *headers: str) -> bytes:
    """A complete HTTP/1.1 problem+json answer that closes the connection."""
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail}
    ).encode()
    head = [
        f"HTTP/1.1 {status} {title}",
        "Content-Type: application/problem+json",
        *headers,
        "Connection: close",
        f"Content-Length: {len(body)}",
    ]
    return "\r\n".join(head).encode() + b"\r\n\r\n" + body


_BUSY = _problem(503, "Service Unavailable", "Too many requests are arriving.", "Retry-After: 5")
_TIMEOUT = _problem(408, "Request Timeout", "The request did not arrive in time.")


def read_timeout() -> float:
    """Seconds a client has to send one whole request (``GLOSS_READ_TIMEOUT``, default 30)."""
    return float(os.environ.get("GLOSS_READ_TIMEOUT", "30"))


def max_body_bytes() -> int:
    return int(os.environ.get("GLOSS_MAX_BODY_BYTES", str(2 * 1024 * 1024)))


@dataclass(eq=False)
class _Inbox:
    """One connection's request as far as it has arrived."""

    conn: Any
    deadline: float
    data: bytearray = field(default_factory=bytearray)
    continued: bool = False

    def complete(self, max_body: int) -> bool:
        """Whether a thread can take the request now without waiting for the client."""
        data = self.data
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            return len(data) > MAX_HEAD_BYTES
        lengths: list[bytes] = []
        chunked = expect = False
        for line in bytes(data[:head_end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                lengths.append(value)
            elif name == b"transfer-encoding":
                chunked = chunked or b"chunked" in value
            elif name == b"expect":
                expect = value == b"100-continue"
        body = len(data) - head_end - 4
        if chunked:
            return body >= max_body or data.endswith(b"0\r\n\r\n")
        if not lengths:
            return True
        if len(set(lengths)) != 1 or not lengths[0].isdigit():
            return True  # the parser refuses it
        length = int(lengths[0])
        if length > max_body or body >= length:
            return True
        if expect and not self.continued:
            self.continued = True
            _send_quietly(self.conn.sock, b"HTTP/1.1 100 Continue\r\n\r\n")
        return False


def _send_quietly(sock: Any, data: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.send(data)


class BufferingWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with requests read whole by the event loop before a thread takes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inboxes: dict[Any, _Inbox] = {}
        self._buffered = 0
        self._read_timeout = read_timeout()
        self._max_body = max_body_bytes()

    def init_process(self) -> None:
        """In the new worker: large request buffers go back to the system once freed."""
        from server import memory  # here, not at the top: the master never loads the app

        memory.map_large_blocks()
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        """Every path to a thread comes here: buffer first, unless already buffered."""
        if getattr(conn, "gloss_buffered", False) or self.cfg.is_ssl:
            conn.gloss_buffered = False
            super().enqueue_req(conn)
            return
        inbox = _Inbox(conn, time.monotonic() + self._read_timeout)
        if conn.parser is not None:  # a kept-alive connection may hold read-ahead bytes
            inbox.data += conn.parser.unreader.take_buffered()
        self._buffered += len(inbox.data)
        if inbox.complete(self._max_body):
            self._hand_over(inbox)
            return
        conn.sock.setblocking(False)
        self._inboxes[conn] = inbox
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, inbox))

    def _on_readable(self, inbox: _Inbox, _sock: Any) -> None:
        try:
            data = inbox.conn.sock.recv(RECV_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._close(inbox)
            return
        inbox.data += data
        self._buffered += len(data)
        if inbox.complete(self._max_body):
            self._forget(inbox)
            self._hand_over(inbox)
        elif self._buffered > MAX_BUFFERED_BYTES:
            self._close(inbox, _BUSY)

    def _hand_over(self, inbox: _Inbox) -> None:
        conn = inbox.conn
        self._buffered -= len(inbox.data)
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(bytes(inbox.data))
        conn.data_ready = True
        conn.gloss_buffered = True
        self.enqueue_req(conn)

    def _forget(self, inbox: _Inbox) -> None:
        self._inboxes.pop(inbox.conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(inbox.conn.sock)

    def _close(self, inbox: _Inbox, answer: bytes = b"") -> None:
        self._forget(inbox)
        self._buffered -= len(inbox.data)
        if answer:
            _send_quietly(inbox.conn.sock, answer)
        self.nr_conns -= 1
        inbox.conn.close()

    def murder_pending(self) -> None:
        """gunicorn's sweep of waiting connections, plus requests that came too slowly."""
        super().murder_pending()
        now = time.monotonic()
        for inbox in [i for i in self._inboxes.values() if i.deadline <= now]:
            self._close(inbox, _TIMEOUT)
