"""``gloss import SOURCE FILE`` as a self-hoster runs it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.store import Database
from server.store import notes as note_store
from tests.conftest import REPO
from tests.importers.conftest import rsp_jsonl

GLOSS = [sys.executable, "-m", "server.cli"]


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return os.environ | {"GLOSS_DATABASE_URL": db_url}


def gloss(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GLOSS, *map(str, args)], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def note(db_url: str, note_id: str) -> dict[str, object]:
    database = Database(db_url)
    try:
        with database.session() as session:
            found = note_store.get(session, note_id)
            assert found is not None
            return note_store.content_of(found) | {"version": found.version}
    finally:
        database.dispose()


def test_rsp_import_makes_a_note_per_row_and_lists_refusals(
    env: dict[str, str], files: dict[str, Path], db_url: str
) -> None:
    result = gloss(env, "import", "wikipedia-rsp", files["jsonl"])

    assert result.returncode == 0, result.stderr
    assert "wikipedia-rsp: 3 created, 0 updated, 0 unchanged, 0 retired" in result.stdout
    assert "1 refused" in result.stdout
    assert "refused Old almanacs: no domain" in result.stderr
    harbor = note(db_url, "rsp-harbor-ledger-685109")
    assert harbor["domains"] == ["harborledger.com", "news.harborledger.com"]
    assert harbor["reliability"]["status"] == "generally-reliable"  # type: ignore[index]
    assert harbor["provenance"]["licence"] == "CC BY-SA 4.0"  # type: ignore[index]


def test_reimport_changes_nothing_and_the_page_form_gives_the_same_notes(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    gloss(env, "import", "wikipedia-rsp", files["jsonl"])

    again = gloss(env, "import", "wikipedia-rsp", files["jsonl"])
    page = gloss(env, "import", "wikipedia-rsp", files["page"])

    assert "0 created, 0 updated, 3 unchanged" in again.stdout
    assert "0 created, 0 updated, 3 unchanged" in page.stdout


def test_changed_entry_is_a_new_revision_and_a_gone_one_is_retired(
    env: dict[str, str], files: dict[str, Path], db_url: str
) -> None:
    gloss(env, "import", "wikipedia-rsp", files["jsonl"])
    changed = rsp_jsonl(keep=2).replace("generally reliable for maritime", "reliable for port")
    files["jsonl"].write_text(changed, encoding="utf-8")

    result = gloss(env, "import", "wikipedia-rsp", files["jsonl"])

    assert "0 created, 1 updated, 1 unchanged, 1 retired" in result.stdout, result.stderr
    assert note(db_url, "rsp-quill-weekly-gardening-b72864")["status"] == "retired"
    harbor = note(db_url, "rsp-harbor-ledger-685109")
    assert "reliable for port news" in str(harbor["summary"])
    assert harbor["version"] == 2


def test_dry_run_reports_without_writing(
    env: dict[str, str], files: dict[str, Path], db_url: str
) -> None:
    result = gloss(env, "import", "--dry-run", "wikipedia-rsp", files["jsonl"])
    real = gloss(env, "import", "wikipedia-rsp", files["jsonl"])

    assert "3 created" in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert "3 created" in real.stdout  # the dry run left nothing behind


def test_feed_and_ratings_import_and_refuse_with_reasons(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    feed = gloss(env, "import", "claimreview-feed", files["feed"])
    ratings = gloss(env, "import", "domain-ratings", files["ratings"])
    ratings_again = gloss(env, "import", "domain-ratings", files["ratings"])

    assert "claimreview-feed: 3 created" in feed.stdout, feed.stderr
    assert "domain-ratings: 2 created, 0 updated" in ratings.stdout, ratings.stderr
    assert "refused not a domain: not a domain name" in ratings.stderr
    assert "0 created, 0 updated, 2 unchanged" in ratings_again.stdout


def test_unknown_source_and_unreadable_file_are_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"dataFeedElement": [{"item": [', encoding="utf-8")

    unknown = gloss(env, "import", "myspace", broken)
    cut = gloss(env, "import", "claimreview-feed", broken)

    assert unknown.returncode == 2
    assert "is not a source" in unknown.stderr
    assert cut.returncode == 1
    assert "not valid JSON" in cut.stderr


def test_bundle_import_with_one_argument_still_works(env: dict[str, str], tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_text(
        json.dumps(
            {
                "notes": [
                    {
                        "id": "harbor-fact",
                        "kind": "publisher",
                        "title": "Harbor Fact Desk",
                        "summary": "A fact-checking desk about the harbor.",
                        "domains": ["harborfacts.org"],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )

    result = gloss(env, "import", bundle)

    assert result.returncode == 0, result.stderr
    assert "bundle: 1 created" in result.stdout
