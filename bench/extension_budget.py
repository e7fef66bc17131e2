"""The extension's cost to a reader's page, against the budgets of issue 13 (printed, not asserted).

Runs Debian's Chromium twice on the same pages, once without Gloss and once with it ("every
page" mode, against a real `gloss serve` loaded with notes/), and prints:

- load: main-thread time (CDP `TaskDuration`) on a 14,000-word page, from navigation until the
  page has been checked and drawn, with minus without; and the longest task (`longtask` entries)
  that only the run with Gloss has. Budget: at most +120 ms, no Gloss long task over 50 ms.
- live page: `POST /v1/match` requests sent by a page whose clock and counters tick four times a
  second, after its first check (budget: 0), and the main-thread time such a tab costs per 10 s
  of idle reading, with minus without (budget: at most +50 ms).

    .venv/bin/python bench/extension_budget.py [--idle-seconds 60]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SEED = REPO / "seeds" / "000_ce0ab49137e1b1ef.txt"
WORDS = 14000
LONGTASK_JS = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push(e.duration);
}).observe({type: 'longtask', buffered: true});
"""


def long_page() -> str:
    """The example article's paragraphs, repeated with numbered variations to 14,000 words."""
    text = SEED.read_text(encoding="utf-8").partition("\n---\n")[0]
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    blocks = [b.lstrip("# ") for b in blocks]
    parts: list[str] = []
    words = 0
    round_ = 0
    while words < WORDS:
        round_ += 1
        for block in blocks:
            body = block if round_ == 1 else f"Part {round_}. {block}"
            parts.append(f"<p>{html.escape(body)}</p>")
            words += len(body.split())
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Long read</title>"
        "<style>body{font:18px/1.6 Georgia,serif;max-width:720px;margin:0 auto}</style></head>"
        f"<body><main><article><h1>Long read</h1>{''.join(parts)}</article></main></body></html>"
    )


def clock_page() -> str:
    paragraphs = SEED.read_text(encoding="utf-8").partition("\n---\n")[0].split("\n\n")[1:6]
    article = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Live</title></head>
<body><main><p>Updated <time id="clock"></time>, <span id="n">0</span> readers</p>{article}</main>
<script>let n = 0; setInterval(() => {{ n += 1;
  document.getElementById('clock').textContent = new Date().toISOString().slice(11, 23);
  document.getElementById('n').textContent = String(1000 + n); }}, 250);</script></body></html>"""


PAGES: dict[str, Callable[[], str]] = {"/long.html": long_page, "/clock.html": clock_page}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        page = PAGES.get(self.path)
        if page is None:
            self.send_error(404)
            return
        body = page().encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server API
        return


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gloss_server(tmp: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "GLOSS_DATABASE_URL": f"sqlite:///{tmp / 'gloss.db'}",
        "GLOSS_SEED_NOTES_DIR": "",
    }
    gloss = Path(sys.executable).parent / "gloss"
    subprocess.run([gloss, "load", REPO / "notes"], env=env, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [gloss, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env={**env, "GLOSS_RATELIMIT_ENABLED": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/v1/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_measured(context: BrowserContext) -> tuple[Page, Callable[[], float]]:
    """A new page whose main-thread task time (ms, CDP TaskDuration) is counted from now."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})

    def task_ms() -> float:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return float(metrics["TaskDuration"]) * 1000

    return page, task_ms


class Run:
    """One browser, with or without Gloss."""

    def __init__(self, context: BrowserContext, with_gloss: bool, server: str) -> None:
        self.context = context
        self.with_gloss = with_gloss
        self.matches: list[float] = []
        if with_gloss:
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker")
            )
            worker.evaluate(
                "(s) => chrome.storage.local.set({settings: s})",
                {"serverUrl": server, "mode": "all", "allow": [], "deny": []},
            )
            for _ in range(100):
                if worker.evaluate("chrome.scripting.getRegisteredContentScripts()"):
                    break
                time.sleep(0.05)
            self.worker = worker

            def count(route: Any) -> None:
                self.matches.append(time.monotonic())
                route.continue_()

            context.route(f"{server}/v1/match", count)

    def settle(self, page: Page) -> None:
        """Wait until Gloss has checked and drawn the page (or a fixed while without Gloss)."""
        if not self.with_gloss:
            page.wait_for_timeout(2500)
            return
        for _ in range(200):
            states = self.worker.evaluate("chrome.storage.session.get(null)")
            done = [
                s for k, s in states.items() if k.startswith("tab:") and s.get("status") == "done"
            ]
            if done and len(done[0]["anchored"]) + len(done[0]["orphans"]) == len(done[0]["cards"]):
                break
            page.wait_for_timeout(50)
        page.wait_for_timeout(1500)


def measure(with_gloss: bool, server: str, base: str, idle_seconds: int) -> dict[str, Any]:
    profile = tempfile.mkdtemp()
    ext_dir = Path(tempfile.mkdtemp()) / "extension"
    shutil.copytree(REPO / "extension", ext_dir)
    manifest = json.loads((ext_dir / "manifest.json").read_text())
    manifest["host_permissions"] += ["http://*/*", "https://*/*"]
    (ext_dir / "manifest.json").write_text(json.dumps(manifest))
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--headless=new",
    ]
    if with_gloss:
        args += [f"--disable-extensions-except={ext_dir}", f"--load-extension={ext_dir}"]
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=args,
                viewport={"width": 1280, "height": 900},
            )
            run = Run(context, with_gloss, server)
            context.add_init_script(LONGTASK_JS)
            out: dict[str, Any] = {}
            loads, longest = [], []
            for _ in range(3):
                page, task_ms = open_measured(context)
                if with_gloss:
                    run.worker.evaluate("chrome.storage.session.clear()")
                start = task_ms()
                page.goto(f"{base}/long.html")
                run.settle(page)
                loads.append(task_ms() - start)
                longest.append(max(page.evaluate("window.__longtasks"), default=0.0))
                page.close()
            out["load_ms"] = sorted(loads)[1]
            out["longtasks"] = sorted(longest)[1]
            page, task_ms = open_measured(context)
            page.goto(f"{base}/clock.html")
            run.settle(page)
            first = len(run.matches)
            page.wait_for_timeout(3000)
            before = task_ms()
            page.wait_for_timeout(idle_seconds * 1000)
            out["idle_ms_per_10s"] = (task_ms() - before) / idle_seconds * 10
            out["requests_after_first"] = len(run.matches) - first
            context.close()
            return out
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(ext_dir.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=int, default=60)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, gloss_server(Path(tmp)) as server, site() as base:
        without = measure(False, server, base, options.idle_seconds)
        with_ = measure(True, server, base, options.idle_seconds)
    load = with_["load_ms"] - without["load_ms"]
    idle = with_["idle_ms_per_10s"] - without["idle_ms_per_10s"]
    gloss_long = with_["longtasks"] if with_["longtasks"] > without["longtasks"] else 0.0
    rows = [
        ("14,000-word page: main thread at load", f"+{load:.0f} ms", "<= +120 ms", load <= 120),
        (
            "14,000-word page: longest Gloss long task",
            f"{gloss_long:.0f} ms",
            "<= 50 ms",
            gloss_long <= 50,
        ),
        (
            "clock page: requests after the first check",
            str(with_["requests_after_first"]),
            "0",
            with_["requests_after_first"] == 0,
        ),
        (
            f"clock page: idle main thread per 10 s ({options.idle_seconds} s)",
            f"+{idle:.1f} ms",
            "<= +50 ms",
            idle <= 50,
        ),
    ]
    print(
        "Extension budget (Chromium, median of 3 loads; without Gloss:"
        f" {without['load_ms']:.0f} ms at load, longest task {without['longtasks']:.0f} ms)"
    )
    for name, value, budget, ok in rows:
        print(f"  {name:<52} {value:>10}   budget {budget:<11} {'ok' if ok else 'OVER'}")


if __name__ == "__main__":
    main()
