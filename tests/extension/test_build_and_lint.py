"""The extension passes Firefox's linter, and the committed content bundle matches its sources."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .pages import REPO


def test_web_ext_lint_finds_no_errors() -> None:
    result = subprocess.run(
        ["npx", "--no-install", "web-ext", "lint", "--source-dir", "extension", "--output", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )

    report = json.loads(result.stdout[result.stdout.index("{") :])
    assert report["summary"]["errors"] == 0, report["errors"]
    codes = {w["code"] for w in report["warnings"]}
    assert codes <= {"BACKGROUND_SERVICE_WORKER_IGNORED"}, report["warnings"]


def test_committed_content_bundle_is_built_from_the_sources(tmp_path: Path) -> None:
    committed = (REPO / "extension" / "content" / "content.js").read_text(encoding="utf-8")
    out = tmp_path / "content.js"

    subprocess.run(
        ["npm", "run", "--silent", "build", "--", f"--outfile={out}"],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert out.read_text(encoding="utf-8") == committed, "run `npm run build` and commit the result"
