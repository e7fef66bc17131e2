"""Probe a running Gloss server from outside, for scripts/image-check.sh (standard library only).

    probe.py health BASE_URL [--notes N] [--wait SECONDS] [--repeat N]
    probe.py match BASE_URL BODY_FILE --expect NOTE_ID [--expect NOTE_ID ...] [--absent NOTE_ID]

Exits non-zero with a one-line reason when the server does not answer as expected.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(url: str, body: bytes | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def health(base: str, notes: int | None, wait: float) -> str:
    deadline = time.monotonic() + wait
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            status, body = call(f"{base}/v1/health")
        except OSError as exc:
            last = str(exc)
        else:
            healthy = status == 200 and body.get("status") == "ok"
            if healthy and (notes is None or body.get("notes") == notes):
                return f"health ok: {body}"
            last = f"{status} {body}"
        time.sleep(0.5)
    raise SystemExit(f"{base}/v1/health not healthy after {wait:.0f} s: {last}")


def match(base: str, body_file: str, expect: list[str], absent: list[str]) -> str:
    with open(body_file, "rb") as file:
        status, body = call(f"{base}/v1/match", file.read())
    if status != 200:
        raise SystemExit(f"POST /v1/match answered {status}: {body}")
    found = [card["note_id"] for card in body["cards"]]
    missing = [note for note in expect if note not in found]
    unwanted = [note for note in absent if note in found]
    if missing or unwanted:
        raise SystemExit(f"cards {found}: missing {missing}, unexpected {unwanted}")
    return f"match ok: {len(found)} cards, first {found[:2]}"


def repeat(base: str, times: int) -> str:
    """Health asked ``times`` more times, each on a new connection: every answer must be ok."""
    for _ in range(times):
        status, body = call(f"{base}/v1/health")
        if status != 200:
            raise SystemExit(f"{base}/v1/health answered {status}: {body}")
    return f"{times} more health requests ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    health_cmd = commands.add_parser("health")
    health_cmd.add_argument("base")
    health_cmd.add_argument("--notes", type=int)
    health_cmd.add_argument("--wait", type=float, default=60.0)
    health_cmd.add_argument("--repeat", type=int, default=0)
    match_cmd = commands.add_parser("match")
    match_cmd.add_argument("base")
    match_cmd.add_argument("body_file")
    match_cmd.add_argument("--expect", action="append", default=[])
    match_cmd.add_argument("--absent", action="append", default=[])
    args = parser.parse_args()
    if args.command == "health":
        print(health(args.base, args.notes, args.wait))
        if args.repeat:
            print(repeat(args.base, args.repeat))
    else:
        print(match(args.base, args.body_file, args.expect, args.absent))


if __name__ == "__main__":
    sys.exit(main())
