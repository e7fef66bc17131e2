"""Fixtures for the deployment tests: empty databases of each kind, and real servers.

Unlike the API suite these tests need a database nobody has touched (migrations start from
nothing), so each test gets a new SQLite file or a new PostgreSQL database of its own.
Servers are real gunicorn processes started through the image's entrypoint, each in its own
process group, killed when the test ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, REPO

BIN = Path(sys.executable).parent
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
HEALTHCHECK = REPO / "docker" / "healthcheck.py"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def new_database(backend: str, folder: Path) -> Iterator[str]:
    """A database with no tables at all: a new SQLite file or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'gloss.db'}"
        return
    name = f"gloss_deploy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with new_database(request.param, tmp_path) as url:
        yield url


def gloss_env(db_url: str, **extra: str) -> dict[str, str]:
    """The environment a deployed server gets: only GLOSS_* settings, no test config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSS_")}
    return env | {
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "GLOSS_DATABASE_URL": db_url,
        "GLOSS_SEED_NOTES_DIR": "",
    } | extra  # fmt: skip


def gloss(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "gloss"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A gunicorn started by docker/entrypoint.sh, as the image starts it."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(env: dict[str, str], log: Path, *gunicorn_args: str) -> Server:
    """Start the entrypoint's `serve` on a free port and wait until /v1/health answers."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["sh", str(ENTRYPOINT), "serve", *gunicorn_args],
            env=env | {"GLOSS_BIND": f"127.0.0.1:{port}"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole at the end
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}:\n{server.output()}")
        try:
            with NO_PROXY.open(f"{server.base}/v1/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    raise AssertionError(f"server not healthy within 30 s:\n{server.output()}")


def stop_server(server: Server) -> None:
    """SIGTERM the process group (as `docker stop` does), then SIGKILL what is left."""
    group = server.process.pid
    if server.process.poll() is None:
        os.killpg(group, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=10)
    with suppress(ProcessLookupError):  # raised when the whole group is gone already
        os.killpg(group, signal.SIGKILL)
    server.process.wait(timeout=10)


def run_healthcheck(port: str) -> subprocess.CompletedProcess[str]:
    """The image's HEALTHCHECK command, against 127.0.0.1:PORT."""
    env = os.environ | {"GLOSS_BIND": f"0.0.0.0:{port}"}
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, text=True, timeout=30
    )
