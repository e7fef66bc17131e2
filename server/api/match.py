"""``POST /v1/match``: the passages of a page in, context cards anchored to them out.

Passage text is used for matching and then dropped: it is never logged or stored.
"""

from __future__ import annotations

from flask import Blueprint

from server.api.docs import operation
from server.api.requests import body_as
from server.app_state import catalog
from server.limits import limiter, match_limit
from server.matching import Passage
from server.schemas import MatchIn, MatchOut

blueprint = Blueprint("match", __name__)


@blueprint.post("/match")
@limiter.limit(match_limit)
@operation(
    summary="Match a page's passages against the published notes",
    tag="match",
    body=MatchIn,
    responses={200: MatchOut},
    errors=(429, 503),
    description="Offsets are Unicode code points of each passage as sent.",
)
def post_match() -> dict[str, object]:
    page = body_as(MatchIn)
    passages = [Passage(p.id, p.text) for p in page.passages]
    return {"cards": catalog().match(page.url, passages)}
