"""Hostile load: each attack of issue 14 against two gunicorn workers, and what a reader feels.

Usage: ``python bench/hostile.py [--seconds 8] [--repo PATH]`` (``--repo`` runs another
checkout's server, e.g. main's code for the "before" figures; the load generator stays this
one).

For each attack a fresh server (two workers, four threads, SQLite, rate limits on, one
trusted proxy hop so each client can have its own address) is started. An honest reader (in
a process of its own, as a reader's browser is) matches the example article in a loop for
``--seconds`` without attack, then again during the attack. Printed per attack: the
attacker's cost per request (worker CPU seconds spent on the attacker's requests, the
reader's share taken out; also per matched request when some were shed or refused), the
attacker's request count and statuses, the reader's p50/p99 and errors before and during,
and the workers' memory growth from the end of the attacker's first matched requests to the
end of the attack. PASS means:
reader's p99 during ≤ 3 × before (plus 20 ms of timer noise), no reader errors, memory
growth < 10 %.

Attacks: ``alias`` and ``edited-quote`` 2 MB pages (fresh client addresses for every request,
as when a hostile site makes every reader's extension send it), ``big-bodies`` (one client
looping 2 MB pages: the work limit), ``unique-words`` (pages of never-seen 19,000-character
words), ``slow-clients`` (24 connections that send headers and never the body) and
``hung-redis`` (the same server restarted with a rate-limit storage that accepts connections
and never answers).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.hostile_pages import UNITS, hostile_body, unique_words_body  # noqa: E402
from tests.reliability.loadgen import example_match_body, rss_kib  # noqa: E402
from tests.reliability.servers import REPO, Server, call, running_server  # noqa: E402

ATTACKERS = 2
MAX_P99_RATIO = 3.0
NOISE = 0.02
MAX_GROWTH = 0.10
_addresses = itertools.count(1)


def address() -> str:
    """A client address of its own (the server trusts one proxy hop)."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Reader:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def read_for(server: Server, seconds: float) -> Reader:
    """The honest reader, in a process of its own (as a reader's browser is): the attackers'
    threads building their bodies must not delay its clock by holding this process's GIL."""
    return _reader_process().submit(_read, server.base_url, seconds, address()).result()


@functools.cache
def _reader_process() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def _read(base_url: str, seconds: float, client: str) -> Reader:
    """The example article, one request at a time, for ``seconds``."""
    body = json.dumps(example_match_body()).encode()
    headers = {"Content-Type": "application/json", "X-Forwarded-For": client}
    reader = Reader()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            reply = call(base_url, "POST", "/v1/match", body=body, headers=headers)
            ok = reply.status == 200 and bool(reply.json()["cards"])
        except OSError:
            ok = False
        reader.latencies.append(time.perf_counter() - started)
        reader.errors += not ok
        time.sleep(0.05)
    return reader


def quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


@dataclass
class Outcome:
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)


def looping(server: Server, body: Callable[[], bytes], fresh_address: bool) -> Callable[..., None]:
    """An attacker thread: send ``body()`` again and again until ``stop`` is set."""
    fixed = address()

    def attack(stop: threading.Event, outcome: Outcome) -> None:
        while not stop.is_set():
            headers = {
                "Content-Type": "application/json",
                "X-Forwarded-For": address() if fresh_address else fixed,
            }
            try:
                reply = call(
                    server.base_url, "POST", "/v1/match", body=body(), headers=headers, timeout=30
                )
                outcome.statuses[str(reply.status)] += 1
            except OSError as exc:
                outcome.statuses[type(exc).__name__] += 1
            outcome.requests += 1

    return attack


@contextmanager
def attackers(server: Server, attack: Callable[..., None]) -> Iterator[Outcome]:
    stop, outcome = threading.Event(), Outcome()
    threads = [threading.Thread(target=attack, args=(stop, outcome)) for _ in range(ATTACKERS)]
    for thread in threads:
        thread.start()
    try:
        yield outcome
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=35)


@contextmanager
def slow_clients(server: Server) -> Iterator[Outcome]:
    host, port = server.base_url.removeprefix("http://").split(":")
    head = (
        f"POST /v1/match HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        "Content-Length: 100000\r\n\r\n"
    ).encode()
    with ExitStack() as stack:
        for _ in range(24):
            sock = stack.enter_context(socket.create_connection((host, int(port)), timeout=5))
            sock.sendall(head)
        yield Outcome(requests=24, statuses=Counter({"held open": 24}))


@contextmanager
def hung_port() -> Iterator[int]:
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(128)
        yield hung.getsockname()[1]


def worked(name: str, attack: Outcome) -> int:
    """The attacker's requests so far that the server matched (all, for the other attacks)."""
    if name in (*UNITS, "big-bodies", "unique-words"):
        return attack.statuses["200"]
    return attack.requests


def run_attack(name: str, args: argparse.Namespace, workdir: Path) -> bool:
    env = {"GLOSS_RATELIMIT_ENABLED": "true", "GLOSS_PROXY_HOPS": "1"}
    database = f"sqlite:///{workdir / name}.db"
    with ExitStack() as stack:
        server = stack.enter_context(
            running_server(database, workdir / name, env=env, repo=args.repo)
        )
        pids = server.worker_pids()
        read_for(server, 2)  # warm both workers up
        cpu0 = sum(cpu_seconds(p) for p in pids)
        before = read_for(server, args.seconds)
        reader_cpu = (sum(cpu_seconds(p) for p in pids) - cpu0) / max(1, len(before.latencies))
        if name == "hung-redis":  # the same server again, its rate-limit storage hung
            stack.close()
            port = stack.enter_context(hung_port())
            env["GLOSS_RATELIMIT_STORAGE"] = f"redis://127.0.0.1:{port}/0"
            server = stack.enter_context(
                running_server(database, workdir / f"{name}-hung", env=env, repo=args.repo)
            )
            pids = server.worker_pids()
            read_for(server, 2)
        cpu1 = sum(cpu_seconds(p) for p in pids)
        if name in UNITS:
            big = hostile_body(UNITS[name])
            attack = stack.enter_context(
                attackers(server, looping(server, lambda: big, fresh_address=True))
            )
        elif name == "big-bodies":
            big = hostile_body(UNITS["edited-quote"])
            attack = stack.enter_context(
                attackers(server, looping(server, lambda: big, fresh_address=False))
            )
        elif name == "unique-words":
            attack = stack.enter_context(
                attackers(server, looping(server, unique_words_body, fresh_address=True))
            )
        elif name == "slow-clients":
            attack = stack.enter_context(slow_clients(server))
        else:
            attack = Outcome(statuses=Counter({"storage hung": 1}))
        # Memory is compared from the end of the attacker's first requests (a 2 MB page needs
        # working memory once; a leak keeps growing after that) to the end of the attack.
        # Only requests the server worked on count: those it shed (503) or refused (429)
        # needed no working memory.
        settle = time.monotonic() + args.seconds
        while worked(name, attack) < 2 * ATTACKERS and time.monotonic() < settle:
            time.sleep(0.1)
        rss0 = sum(rss_kib(p) for p in pids)
        during = read_for(server, args.seconds)
        cpu2 = sum(cpu_seconds(p) for p in pids if Path(f"/proc/{p}").exists())
        rss1 = sum(rss_kib(p) for p in pids if Path(f"/proc/{p}").exists())
    attacker_cpu = cpu2 - cpu1 - reader_cpu * len(during.latencies)
    p50b, p99b = quantile(before.latencies, 0.5), quantile(before.latencies, 0.99)
    p50d, p99d = quantile(during.latencies, 0.5), quantile(during.latencies, 0.99)
    growth = rss1 / rss0 - 1
    finished = sum(v for k, v in attack.statuses.items() if k.isdigit())
    if name not in (*UNITS, "big-bodies", "unique-words"):
        cost = "n/a"
    elif finished:
        cost = f"{attacker_cpu / finished:.2f} s CPU"
        matched = attack.statuses["200"]
        if matched and matched < finished:  # the rest were shed or refused
            cost += f" ({attacker_cpu / matched:.2f} s per matched one)"
    else:  # none answered within the client's 30 s: the cost is at least what was spent
        cost = f">= {attacker_cpu / ATTACKERS:.1f} s CPU (none finished)"
    ok = p99d <= MAX_P99_RATIO * p99b + NOISE and not during.errors and growth < MAX_GROWTH
    statuses = ", ".join(f"{k}×{v}" for k, v in sorted(attack.statuses.items()))
    print(
        f"| {name} | {cost} | {attack.requests} ({statuses}) "
        f"| {p50b * 1000:.0f} / {p99b * 1000:.0f} ms | {p50d * 1000:.0f} / {p99d * 1000:.0f} ms "
        f"| {during.errors} | {growth:+.1%} | {'PASS' if ok else 'FAIL'} |",
        flush=True,
    )
    return ok


ATTACKS = ("alias", "edited-quote", "big-bodies", "unique-words", "slow-clients", "hung-redis")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose server runs")
    parser.add_argument("--only", nargs="*", choices=ATTACKS, default=list(ATTACKS))
    args = parser.parse_args()
    print(f"server code: {args.repo}; reader windows of {args.seconds:.0f} s")
    print(
        "| attack | attacker's cost / request | attacker's requests | reader p50 / p99 before "
        "| during | reader errors | worker RSS | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        results = [run_attack(name, args, Path(folder)) for name in args.only]
    _reader_process().shutdown()
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
