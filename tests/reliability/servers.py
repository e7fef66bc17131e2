"""Real gunicorn servers on a free loopback port, for tests and benchmarks that need processes.

``running_server`` prepares the database the way ``gloss serve`` does (tables and seed notes
in one process, before any worker starts), starts ``gunicorn -c server/gunicorn_conf.py`` in a
process group of its own with logs in a directory the caller reads, and kills the whole group
when the block ends, whatever happened inside it. ``call`` is a small HTTP client over
``http.client`` that can send any bytes, so hostile bodies reach the server unchanged.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, select

REPO = Path(__file__).resolve().parents[2]
NOTES_DIR = REPO / "notes"
GUNICORN = Path(sys.executable).with_name("gunicorn")
# The shipped access log format plus the worker's pid, so a test can tell the workers apart.
ACCESS_FORMAT_WITH_PID = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms pid=%(p)s'


def free_port() -> int:
    """A TCP port nothing listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def call(
    base_url: str,
    method: str,
    path: str,
    *,
    json_body: Any = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60,
) -> Reply:
    """One request on a fresh connection; ``body`` is sent as given, ``json_body`` as JSON.

    A server may answer (413, say) before it has read a large body and close the connection;
    the client then stops sending and still reads the answer, as browsers and curl do.
    """
    host, port = base_url.removeprefix("http://").split(":")
    sent = {"Host": f"{host}:{port}", "Connection": "close", **(headers or {})}
    if json_body is not None:
        body = json.dumps(json_body).encode()
        sent.setdefault("Content-Type", "application/json")
    if body is not None:
        sent["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        with suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head.encode("latin-1") + b"\r\n" + (body or b""))
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)


@dataclass
class Server:
    """A running gunicorn master with its workers; logs go to files under ``log_dir``."""

    base_url: str
    database_url: str
    log_dir: Path
    process: subprocess.Popen[bytes]
    env: dict[str, str] = field(repr=False)

    @property
    def master_pid(self) -> int:
        return self.process.pid

    @property
    def access_log(self) -> Path:
        return self.log_dir / "access.log"

    @property
    def error_log(self) -> Path:
        return self.log_dir / "error.log"

    def logs(self) -> str:
        """Everything the server wrote so far: access log and error log."""
        return "\n".join(p.read_text(errors="replace") for p in (self.access_log, self.error_log))

    def worker_pids(self) -> list[int]:
        """The master's live children (the workers), from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.master_pid and fields[0] != "Z":
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def wait_for_workers(self, count: int, timeout: float = 30) -> list[int]:
        """Wait until ``count`` workers run and answer; returns their pids.

        Each worker says ``warming`` (503) until its index is loaded, and a health request
        reaches only one of them: ask until ``4 * count`` in a row on new connections said ok.
        """
        deadline = time.monotonic() + timeout
        in_a_row = 0
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            in_a_row = in_a_row + 1 if len(pids) == count and self.healthy() else 0
            if in_a_row >= 4 * count:
                return pids
            if not in_a_row:
                time.sleep(0.1)
        raise RuntimeError(f"{count} workers not up in {timeout}s:\n{self.logs()[-4000:]}")

    def healthy(self) -> bool:
        try:
            return call(self.base_url, "GET", "/v1/health", timeout=5).status == 200
        except OSError:
            return False

    def call(self, method: str, path: str, **kwargs: Any) -> Reply:
        return call(self.base_url, method, path, **kwargs)

    def stop(self) -> None:
        """Stop the master and every worker: TERM to the process group, then KILL."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # stragglers, even after the master left
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


def prepare_database(database_url: str, seed_notes: bool = True) -> None:
    """Create the tables and load the seed notes once, as ``gloss serve`` does before forking."""
    from server.services.loader import seed_if_empty
    from server.store import Database

    database = Database(database_url)
    try:
        database.create_all()
        if seed_notes:
            seed_if_empty(database, NOTES_DIR)
    finally:
        database.dispose()


def make_token(
    database_url: str, role: str, name: str | None = None, token_id: int | None = None
) -> tuple[int, str]:
    """A new API token written straight to the database (with ``token_id`` if given).

    Returns ``(id, secret)``.
    """
    from server.store import Database
    from server.store import tokens as token_store

    database = Database(database_url)
    try:
        with database.transaction() as session:
            token, secret = token_store.create(session, name or f"reliability {role}", role)
            if token_id is not None:
                token.id = token_id
                session.flush()
            return token.id, secret
    finally:
        database.dispose()


def dump_database(database_url: str) -> str:
    """Every row of every table, as text: what a privacy check searches."""
    engine = create_engine(database_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        lines = []
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    lines.append(f"{table.name}: {tuple(row)!r}")
        return "\n".join(lines)
    finally:
        engine.dispose()


@contextmanager
def running_server(
    database_url: str,
    log_dir: Path,
    *,
    workers: int = 2,
    threads: int = 4,
    env: Mapping[str, str] | None = None,
    seed_notes: bool = True,
    access_format: str | None = ACCESS_FORMAT_WITH_PID,
    extra_args: tuple[str, ...] = (),
    repo: Path = REPO,
    ready_timeout: float = 30,
) -> Iterator[Server]:
    """A gunicorn server on a free port for the duration of the block; always killed after.

    ``repo`` is the checkout whose server runs (another one for before-and-after benchmarks).
    """
    prepare_database(database_url, seed_notes)
    log_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSS_")}
    child_env.update(
        {
            "GLOSS_BIND": f"127.0.0.1:{port}",
            "GLOSS_WORKERS": str(workers),
            "GLOSS_THREADS": str(threads),
            "GLOSS_DATABASE_URL": database_url,
            "GLOSS_SEED_NOTES_DIR": str(NOTES_DIR) if seed_notes else "",
            "GLOSS_RATELIMIT_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    child_env.update(env or {})
    args = [str(GUNICORN), "-c", str(repo / "server" / "gunicorn_conf.py")]
    if access_format:
        args += ["--access-logformat", access_format]
    args += [*extra_args, "server:create_app()"]
    with (log_dir / "access.log").open("ab") as out, (log_dir / "error.log").open("ab") as err:
        process = subprocess.Popen(
            args, cwd=repo, env=child_env, stdout=out, stderr=err, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", database_url, log_dir, process, child_env)
    try:
        server.wait_for_workers(workers, ready_timeout)
        yield server
    finally:
        server.stop()
