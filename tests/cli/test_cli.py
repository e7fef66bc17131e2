"""The ``gloss`` command, run as a user would run it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import NOTES_DIR, REPO, SEED_PAGE

GLOSS = [sys.executable, "-m", "server.cli"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return os.environ | {"GLOSS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def gloss(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GLOSS, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_load_is_idempotent(env: dict[str, str]) -> None:
    first = gloss(env, "load", str(NOTES_DIR))
    second = gloss(env, "load", str(NOTES_DIR))

    assert first.returncode == 0, first.stderr
    assert " 0 created, 0 updated" in second.stdout


def test_load_reports_a_bad_file_and_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "bad-claim.yaml").write_text(
        "kind: claim\ntitle: No quotes\nsummary: Missing parts.\n"
    )

    result = gloss(env, "load", str(notes))

    assert result.returncode != 0
    assert "bad-claim.yaml" in result.stderr
    assert "quotes" in result.stderr


def test_tokens_create_prints_the_secret_last_and_stores_only_a_hash(
    env: dict[str, str],
) -> None:
    result = gloss(env, "tokens", "create", "--name", "desk", "--role", "curator")

    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("gloss_")
    assert len(secret) > 40
    engine = create_engine(env["GLOSS_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, role, secret_hash FROM api_tokens")).all()
    engine.dispose()
    assert rows == [("desk", "curator", hashlib.sha256(secret.encode()).hexdigest())]


def test_tokens_create_refuses_an_unknown_role(env: dict[str, str]) -> None:
    result = gloss(env, "tokens", "create", "--name", "x", "--role", "owner")

    assert result.returncode != 0


def test_match_prints_cards_for_a_local_file(env: dict[str, str]) -> None:
    gloss(env, "load", str(NOTES_DIR))

    result = gloss(env, "match", "--url", "https://www.globalresearch.ca/x", str(SEED_PAGE))

    assert result.returncode == 0, result.stderr
    assert "publisher: Global Research" in result.stdout
    assert "(matched by the page's domain)" in result.stdout
    assert "claim:" in result.stdout


def test_match_json_is_the_api_shape(env: dict[str, str], tmp_path: Path) -> None:
    gloss(env, "load", str(NOTES_DIR))
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><nav>South Front menu</nav><p>Read South Front today.</p></body></html>"
    )

    result = gloss(env, "match", "--json", "--url", "https://example.org/", str(page))

    import json

    cards = json.loads(result.stdout)["cards"]
    assert [c["anchors"][0]["exact"] for c in cards] == ["South Front"]


def test_export_then_import_into_an_empty_database(env: dict[str, str], tmp_path: Path) -> None:
    gloss(env, "load", str(NOTES_DIR))
    bundle = tmp_path / "bundle.json"

    exported = gloss(env, "export", "--format", "bundle", str(bundle))
    empty = env | {"GLOSS_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    dry = gloss(empty, "import", "--dry-run", str(bundle))
    real = gloss(empty, "import", str(bundle))

    assert exported.returncode == 0, exported.stderr
    count = len(list(NOTES_DIR.glob("*.yaml")))
    assert f"bundle: {count} created, 0 updated, 0 unchanged (dry run" in dry.stdout
    assert f"bundle: {count} created" in real.stdout
    again = gloss(empty, "export")
    assert again.stdout.strip() == bundle.read_text().strip()


def test_import_of_a_bad_file_reports_each_item(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"@type": "ClaimReview", "claimReviewed": "short"}]')

    result = gloss(env, "import", str(bad))

    assert result.returncode != 0
    assert '"index": 0' in result.stderr
