"""Fuzzing from the contract: schemathesis against the OpenAPI document a real server serves.

Every operation, with an admin token so writes run too, through schemathesis's coverage,
fuzzing and stateful phases (positive and negative data), with every built-in check. The run
must find no server error, no response that breaks the document (status, content type,
headers, body schema), no invalid request accepted, and must send at least 1,000 requests.
The checks' settings, and why, are in ``schemathesis.toml``; ``fuzz_hooks.py`` keeps the
fuzzer's own token alive and points half the note ids at notes that exist.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.conftest import BACKENDS, NewDatabase
from tests.reliability.servers import make_token, running_server

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("fuzz_hooks.py")
EXAMPLES_PER_OPERATION = 60
MIN_REQUESTS = 1000
FUZZER_TOKEN_ID = 987_654_321  # fuzz_hooks.py keeps the fuzzer from revoking it


@pytest.mark.parametrize("backend", BACKENDS)
def test_fuzzing_every_operation_finds_no_server_error_or_contract_breach(
    backend: str, new_database: NewDatabase, tmp_path: Path
) -> None:
    database_url = new_database(backend)
    report_dir = tmp_path / "report"
    with running_server(database_url, tmp_path / "logs") as server:
        _, secret = make_token(database_url, "admin", "Fuzzer", token_id=FUZZER_TOKEN_ID)
        command = [
            str(SCHEMATHESIS),
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            f"{server.base_url}/v1/openapi.json",
            "--url",
            server.base_url,
            "--header",
            f"Authorization: Bearer {secret}",
            "--max-examples",
            str(EXAMPLES_PER_OPERATION),
            "--workers",
            "1",  # Python 3.11's ast.parse, used by hypothesis, is not safe across threads
            "--request-timeout",
            "30",
            "--report",
            "json",
            "--report-dir",
            str(report_dir),
        ]
        started = time.monotonic()
        ready_at = len(server.access_log.read_text())  # start-up's "warming" 503s came before
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": str(HOOKS),
            "GLOSS_FUZZER_TOKEN_ID": str(FUZZER_TOKEN_ID),
        }
        run = subprocess.run(  # cwd: schemathesis leaves .hypothesis/ where it runs
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        elapsed = time.monotonic() - started
        fuzzed = server.access_log.read_text()[ready_at:]
        requests = len(re.findall(r'^\S+ \[[^]]+\] "', fuzzed, re.M))
        server_errors = re.findall(r'^.*" 5\d\d .*$', fuzzed, re.M)
        error_log = server.error_log.read_text()

    report = json.loads(next(report_dir.glob("*.json")).read_text())
    summary = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, summary
    assert report["operations"]["tested"] == report["operations"]["total"] >= 16, summary
    assert report["failures"] == [], summary
    assert report["errors"] == [], summary
    assert not report["warnings"]["missing_auth"], summary
    assert not server_errors, server_errors[:5]
    assert "Traceback" not in error_log, error_log[-4000:]
    assert requests >= MIN_REQUESTS, summary
    print(
        f"\n{backend}: {requests} requests ({report['test_cases']['generated']} test cases, "
        f"{report['operations']['tested']} operations) in {elapsed:.0f} s; 0 failures"
    )
