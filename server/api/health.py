"""``GET /v1/health``: is this worker up, can it reach the database, what does it offer."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from server.api.docs import operation
from server.app_state import catalog
from server.errors import DatabaseUnavailable
from server.schemas import HealthOut
from server.version import VERSION
from server.warmup import warmup

blueprint = Blueprint("health", __name__)

FEATURES = ["match", "notes", "feedback", "import", "export"]


@blueprint.get("/health")
@operation(
    summary="Liveness, database reachability and features",
    tag="meta",
    responses={200: HealthOut},
    errors=(503,),
)
def get_health() -> dict[str, object] | tuple[dict[str, object], int, dict[str, str]]:
    current = catalog()
    if warmup().warming:  # never wait behind the loading index: say so, at once
        body = HealthOut(status="warming", version=VERSION, notes=0, features=FEATURES)
        return body.model_dump(), 503, {"Retry-After": "2"}
    try:
        current.refresh()
    except SQLAlchemyError:
        raise DatabaseUnavailable("The notes database cannot be reached.") from None
    return HealthOut(
        status="ok", version=VERSION, notes=current.published_count, features=FEATURES
    ).model_dump()
