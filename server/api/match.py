"""``POST /v1/match``: the passages of a page in, context cards anchored to them out.

Passage text is used for matching and then dropped: it is never logged or stored.
"""

from __future__ import annotations

from flask import Blueprint

from server.api.requests import body_as
from server.app_state import catalog
from server.matching import Passage
from server.schemas import MatchIn

blueprint = Blueprint("match", __name__)


@blueprint.post("/match")
def post_match() -> dict[str, object]:
    page = body_as(MatchIn)
    passages = [Passage(p.id, p.text) for p in page.passages]
    return {"cards": catalog().match(page.url, passages)}
