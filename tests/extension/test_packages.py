"""`make extension`'s store packages: one version for both, each manifest fit for its browser,
the Firefox package clean for Firefox's linter and the Chrome package loaded by Chromium."""

from __future__ import annotations

from contextlib import nullcontext
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from .conftest import CHROMIUM
from .pages import REPO

BUILDER = REPO / "scripts" / "build_extension.py"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The packages `make extension` builds, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, BUILDER, "--out", out],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    packages = {line.split(":", 1)[0]: Path(line.split()[1]) for line in result.stdout.splitlines()}
    assert set(packages) == {"chrome", "firefox"}, result.stdout
    return packages


def unpack(package: Path, into: Path) -> dict[str, object]:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return dict(json.loads((into / "manifest.json").read_text(encoding="utf-8")))


def test_packages_share_one_version_and_carry_only_their_browsers_keys(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    source = json.loads((REPO / "extension" / "manifest.json").read_text(encoding="utf-8"))

    chrome = unpack(packages["chrome"], tmp_path / "chrome")
    firefox = unpack(packages["firefox"], tmp_path / "firefox")
    lint = subprocess.run(
        ["npx", "--no-install", "web-ext", "lint", "--source-dir", tmp_path / "firefox"]
        + ["--output", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = json.loads(lint.stdout[lint.stdout.index("{") :])

    assert packages["chrome"].name == f"gloss-chrome-{source['version']}.zip"
    assert packages["firefox"].name == f"gloss-firefox-{source['version']}.zip"
    assert chrome["version"] == firefox["version"] == source["version"]
    assert "browser_specific_settings" not in chrome
    assert chrome["background"] == {"service_worker": "background.js", "type": "module"}
    assert firefox["background"] == {"scripts": ["background.js"], "type": "module"}
    assert firefox["browser_specific_settings"] == source["browser_specific_settings"]
    assert not (tmp_path / "firefox" / "README.md").exists()
    assert not list((tmp_path / "chrome").rglob("*.py"))
    assert report["summary"] == {"errors": 0, "notices": 0, "warnings": 0}, report


def test_chromium_runs_the_chrome_package(
    packages: dict[str, Path], tmp_path: Path, playwright_driver: Playwright
) -> None:
    unpacked = tmp_path / "chrome"
    manifest = unpack(packages["chrome"], unpacked)

    with nullcontext(playwright_driver) as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                f"--disable-extensions-except={unpacked}",
                f"--load-extension={unpacked}",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker")
            )
            running = worker.evaluate("chrome.runtime.getManifest().version")
            settings = worker.evaluate("chrome.storage.local.get(null)")
        finally:
            context.close()

    assert worker.url.endswith("/background.js")
    assert running == manifest["version"]
    assert settings == {}
