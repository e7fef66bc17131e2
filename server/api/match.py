"""``POST /v1/match``: the passages of a page in, context cards anchored to them out.

Passage text is used for matching and then dropped: it is never logged or stored. Each match
logs one line with a SHA-256 of the page URL (never the URL), the passage and card counts and
the duration, so operators can count and time matches without learning what people read.
"""

from __future__ import annotations

import hashlib
import logging
import time

from flask import Blueprint

from server.api.docs import operation
from server.api.requests import body_as
from server.app_state import catalog
from server.limits import limiter, match_limit
from server.matching import Passage
from server.schemas import MatchIn, MatchOut

blueprint = Blueprint("match", __name__)
log = logging.getLogger("gloss.match")


@blueprint.post("/match")
@limiter.limit(match_limit)
@operation(
    summary="Match a page's passages against the published notes",
    tag="match",
    body=MatchIn,
    responses={200: MatchOut},
    errors=(429, 503),
    description=(
        "Offsets are Unicode code points of each passage as sent. `tiers` picks quote "
        "cards, reworded cards (claim notes matched by meaning) or both (the default)."
    ),
)
def post_match() -> dict[str, object]:
    started = time.perf_counter()
    page = body_as(MatchIn)
    passages = [Passage(p.id, p.text) for p in page.passages]
    cards = catalog().match(page.url, passages, page.tiers)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.info(
        "match page_sha256=%s passages=%d cards=%d ms=%.1f",
        url_digest(page.url),
        len(passages),
        len(cards),
        elapsed_ms,
    )
    return {"cards": cards}


def url_digest(url: str) -> str:
    """SHA-256 of a page URL as sent (lone surrogates kept as they came), in hex."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
