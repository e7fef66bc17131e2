"""Noticing that the client of the current request has gone, so its work can stop.

gunicorn's threaded worker keeps a worker's heartbeat going while a thread grinds on a
request whose client has long left, so nothing else stops that work. The WSGI environ holds
the client socket (``gunicorn.socket``); a socket that is readable but yields no data has
been closed by the peer. Bytes waiting on it (a pipelined request) mean the client is there.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Callable, Mapping
from typing import Any


def client_gone_probe(environ: Mapping[str, Any]) -> Callable[[], bool] | None:
    """A cheap check of whether the request's client has closed its connection, or None
    when the server does not expose the socket (tests, other WSGI servers)."""
    sock = environ.get("gunicorn.socket")
    if not isinstance(sock, socket.socket):
        return None

    def gone() -> bool:
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            if not readable:
                return False
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except (OSError, ValueError):
            return True

    return gone
