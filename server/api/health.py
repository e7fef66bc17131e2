"""``GET /v1/health``: is this worker up, can it reach the database, what does it offer."""

from __future__ import annotations

from flask import Blueprint

from server.app_state import catalog
from server.schemas import HealthOut
from server.version import VERSION

blueprint = Blueprint("health", __name__)

FEATURES = ["match", "notes"]


@blueprint.get("/health")
def get_health() -> dict[str, object]:
    current = catalog()
    current.refresh()  # fails, and so answers 500, when the database is unreachable
    return HealthOut(
        status="ok", version=VERSION, notes=current.published_count, features=FEATURES
    ).model_dump()
