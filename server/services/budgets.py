"""The work budget of one match request: CPU time from the settings, cancelled with the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.app_state import settings
from server.disconnect import client_gone_probe
from server.matching.budget import Budget


def match_budget(environ: Mapping[str, Any]) -> Budget:
    """A fresh budget for the current request (``GLOSS_MATCH_BUDGET_MS`` of CPU time)."""
    return Budget(settings().match_budget_ms / 1000, client_gone_probe(environ))
