"""schemathesis hooks for the fuzzing test (loaded through ``SCHEMATHESIS_HOOKS``).

Two adjustments so the fuzzer reaches the whole API:

- It reads token ids from ``GET /v1/tokens`` and feeds them to ``DELETE /v1/tokens/{id}``.
  Revoking the token the whole run authenticates with would turn every later request into a
  401, so it may revoke any token but its own.
- Random note ids and revision numbers name nothing, so the operations on one note would only
  ever see 404. In about half the valid (positive) cases the id becomes one of the notes the
  server was seeded with (``notes/``) and the number a revision that exists. Negative cases are
  left alone (there the invalid id is the point), and so is the stateful phase, whose ids come
  from earlier responses (a created note must be found under the id it was created with). The
  choice is a function of the generated value, so a failing case replays the same.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import schemathesis
from schemathesis import Case, HookContext
from schemathesis.generation.meta import TestPhase

FUZZER_TOKEN_ID = os.environ.get("GLOSS_FUZZER_TOKEN_ID", "")
NOTE_IDS = sorted(p.stem for p in (Path(__file__).parents[2] / "notes").glob("*.yaml"))


@schemathesis.hook
def filter_case(context: HookContext, case: Case) -> bool:
    if case.method.upper() == "DELETE" and case.operation.path == "/v1/tokens/{token_id}":
        return str((case.path_parameters or {}).get("token_id")) != FUZZER_TOKEN_ID
    return True


@schemathesis.hook
def map_case(context: HookContext, case: Case) -> Case:
    params = case.path_parameters
    if not params or case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    if case.meta.phase.name == TestPhase.STATEFUL:  # ids there come from earlier responses
        return case
    pick = zlib.crc32(repr(sorted(params.items())).encode())
    if "note_id" in params and pick % 2 == 0:
        params["note_id"] = NOTE_IDS[pick // 2 % len(NOTE_IDS)]
    if "number" in params and pick % 3 == 0:
        params["number"] = 1 + pick // 3 % 3
    return case
