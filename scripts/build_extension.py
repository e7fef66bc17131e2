"""Build the Gloss extension's store packages for Chrome and Firefox (`make extension`).

The version lives in one place, `extension/manifest.json`, and both packages carry it. The
manifest in the repository serves both browsers when loaded unpacked (Chrome ignores
`background.scripts` and `browser_specific_settings`; Firefox ignores `background.service_worker`),
but a store package should hold only what its browser reads, so each package gets its own copy:
Chrome's without the Gecko settings and with the service worker only, Firefox's with the event
page scripts only. `web-ext build` then zips each staged copy.

Usage: python3 scripts/build_extension.py [--out DIR]   (default: dist/extension)
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "extension"
BROWSERS = ("chrome", "firefox")
# Files in extension/ that are for developers, not for readers' browsers.
NOT_SHIPPED = ("README.md", "*.py")
VERSION = re.compile(r"^(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8})){0,3}$")


def browser_manifest(manifest: dict[str, Any], browser: str) -> dict[str, Any]:
    """The manifest as `browser`'s store package carries it."""
    out = copy.deepcopy(manifest)
    background = out.get("background", {})
    if browser == "chrome":
        out.pop("browser_specific_settings", None)
        background.pop("scripts", None)
    elif browser == "firefox":
        background.pop("service_worker", None)
    else:
        raise ValueError(f"unknown browser {browser!r}")
    return out


def read_version(manifest: dict[str, Any]) -> str:
    """The one version number of both packages; must suit both stores (1–4 dotted integers)."""
    version = str(manifest.get("version", ""))
    if not VERSION.match(version):
        raise SystemExit(f"extension/manifest.json: version {version!r} is not 1-4 dotted integers")
    return version


def build(browser: str, manifest: dict[str, Any], out: Path, work: Path) -> Path:
    staged = work / browser
    shutil.copytree(SOURCE, staged, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    (staged / "manifest.json").write_text(
        json.dumps(browser_manifest(manifest, browser), indent=2) + "\n", encoding="utf-8"
    )
    name = f"gloss-{browser}-{manifest['version']}.zip"
    subprocess.run(
        [
            "npx",
            "--no-install",
            "web-ext",
            "build",
            "--source-dir",
            str(staged),
            "--artifacts-dir",
            str(out),
            "--filename",
            name,
            "--overwrite-dest",
            "--no-input",
            "--no-config-discovery",
        ],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "extension")
    args = parser.parse_args(argv)
    manifest = json.loads((SOURCE / "manifest.json").read_text(encoding="utf-8"))
    version = read_version(manifest)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for browser in BROWSERS:
            package = build(browser, manifest, args.out.resolve(), Path(work))
            print(f"{browser}: {package} (version {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
