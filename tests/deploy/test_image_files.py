"""The files the image is built from: lint-clean, consistent with each other, documented.

Building and running the image takes minutes and lives in `make image-check`; these checks
take a second and catch the usual drift (a new setting nobody documented, a COPY of a file
the build context leaves out).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from server.config import Settings
from tests.conftest import REPO
from tests.deploy.conftest import BIN, ENTRYPOINT, gloss_env

DOCKERFILE = REPO / "Dockerfile"
SELF_HOSTING = REPO / "README.md"


def test_dockerfile_has_no_hadolint_findings() -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_self_hosting_documents_every_environment_variable() -> None:
    read_by_code = {f"GLOSS_{name.upper()}" for name in Settings.model_fields}
    for path in (REPO / "server" / "gunicorn_conf.py", DOCKERFILE, REPO / "docker-compose.yml"):
        read_by_code |= set(re.findall(r"\bGLOSS_[A-Z_]+\b", path.read_text()))

    documented = set(re.findall(r"`(GLOSS_[A-Z_]+)`", SELF_HOSTING.read_text()))

    assert read_by_code - documented == set()


def test_build_context_holds_every_file_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copied = {
        source
        for line in DOCKERFILE.read_text().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for source in line.split()[1:-1]
    }

    assert copied - allowed == set()
    assert all((REPO / source).exists() for source in copied)


def test_entrypoint_runs_any_other_command_as_given(tmp_path: Path) -> None:
    env = gloss_env(f"sqlite:///{tmp_path / 'gloss.db'}")

    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "gloss", "db", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database: empty (head is ")
