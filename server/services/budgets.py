"""The work budget of one match request: CPU time from the settings, cancelled with the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.app_state import settings
from server.disconnect import client_gone_probe
from server.matching.budget import HEAVY, Budget


def match_budget(environ: Mapping[str, Any], heavy: bool = False) -> Budget:
    """A fresh budget for the current request: ``GLOSS_MATCH_BUDGET_MS`` of CPU time, or for
    a heavy body (server.services.heavy_lane) ``GLOSS_HEAVY_MATCH_BUDGET_MS`` at a slow pace."""
    config = settings()
    if not heavy:
        return Budget(config.match_budget_ms / 1000, client_gone_probe(environ))
    cpu_ms = min(config.match_budget_ms, config.heavy_match_budget_ms)
    return Budget(cpu_ms / 1000, client_gone_probe(environ), pace=HEAVY)
