"""``gloss reembed`` and ``gloss match`` with the reworded tier, run as an operator would."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_cli import gloss

NOTE = """\
kind: claim
title: Skarvholm keepers paid in herring
summary: Payroll records show wages paid in coin.
rating: "false"
status: published
quotes:
  - >-
    The keepers of the Skarvholm lighthouse were paid their wages in barrels of herring
    instead of money.
sources:
  - {title: Archive, url: "https://example.org/archive"}
"""
PAGE = (
    "Instead of money, the men who kept the Skarvholm lighthouse received barrels of "
    "herring as pay.\n"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return os.environ | {"GLOSS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def vector_rows(env: dict[str, str]) -> list[tuple[str, str]]:
    engine = create_engine(env["GLOSS_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT note_id, model_name FROM note_vectors")).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def test_reembed_stores_vectors_that_were_never_made(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "skarvholm-herring.yaml").write_text(NOTE)
    assert gloss(env | {"GLOSS_REWORDED": "false"}, "load", str(notes)).returncode == 0
    assert vector_rows(env) == []

    result = gloss(env, "reembed")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 claim texts embedded with all-MiniLM-L6-v2-int8 1.0.0+")
    assert vector_rows(env) == [("skarvholm-herring", "all-MiniLM-L6-v2-int8")]
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    cards = json.loads(
        gloss(env, "match", "--json", "--url", "https://a.example", str(page)).stdout
    )
    assert [(c["note_id"], c["match"]) for c in cards["cards"]] == [
        ("skarvholm-herring", "reworded")
    ]
