"""A small closed-loop load generator for ``bench/load.py`` and ``bench/soak.py``.

Each simulated user is a thread with one keep-alive connection that sends a request, waits for
the answer, and sends the next until the deadline. Every answer is recorded with its kind,
status and latency; a status outside what the kind allows, or a dropped connection, is an error.
Also here: the resident memory of a process, and the example article's match body.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.reliability.servers import REPO

EXAMPLE_URL = (
    "https://www.globalresearch.ca/us-sponsored-isis-terrorists-establish-foothold-in-"
    "afghanistan-extending-into-central-asian-heartland/5480861"
)
EXAMPLE_PAGE = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"


def example_match_body() -> dict[str, Any]:
    """``POST /v1/match`` for the example article, split the way ``gloss passages`` does."""
    from server.pages import passages_from

    texts = passages_from(EXAMPLE_PAGE.read_text())
    return {
        "url": EXAMPLE_URL,
        "passages": [{"id": f"p{i}", "text": t} for i, t in enumerate(texts)],
    }


def rss_kib(pid: int) -> int:
    """Resident memory of a process now, in KiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class Connection:
    """One keep-alive HTTP/1.1 connection that reconnects after the server closes it."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self._host, self._port, self._timeout = host, int(port), timeout
        self._conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        sent = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        try:
            self._conn.request(method, path, body=data, headers=sent)
            response = self._conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@dataclass
class Results:
    """Every answer of a run, by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            if not ok:
                self.errors[f"{kind} {status}"] += 1

    def failed(self, kind: str, reason: str) -> None:
        with self.lock:
            self.errors[f"{kind} {reason}"] += 1

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile_ms(self, q: float, kind: str | None = None) -> float:
        values = sorted(v for k, vs in self.latencies.items() if kind in (None, k) for v in vs)
        if not values:
            return float("nan")
        return 1000 * values[min(len(values) - 1, int(q * len(values)))]


# A user: given its connection and the results, sends one request (or a few) and records them.
User = Callable[[Connection, Results], None]


def timed(
    conn: Connection,
    results: Results,
    kind: str,
    allowed: Iterable[int],
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes] | None:
    """Send one request and record it; None when the connection failed (recorded as an error)."""
    started = time.perf_counter()
    try:
        status, response_headers, payload = conn.request(method, path, body, headers)
    except (OSError, http.client.HTTPException) as exc:
        results.failed(kind, type(exc).__name__)
        return None
    results.record(kind, status, time.perf_counter() - started, status in set(allowed))
    return status, response_headers, payload


def run(base_url: str, users: list[User], seconds: float) -> tuple[Results, float]:
    """Run every user in its own thread until ``seconds`` have passed; returns results and time."""
    results = Results()
    deadline = time.monotonic() + seconds

    def loop(user: User) -> None:
        conn = Connection(base_url)
        try:
            while time.monotonic() < deadline:
                user(conn, results)
        finally:
            conn.close()

    threads = [threading.Thread(target=loop, args=(u,), daemon=True) for u in users]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started
