"""``POST /v1/match``: the passages of a page in, context cards anchored to them out.

Passage text is used for matching and then dropped: it is never logged or stored. Each match
logs one line with a SHA-256 of the page URL (never the URL), the passage and card counts and
the duration, so operators can count and time matches without learning what people read.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence

from flask import Blueprint, request

from server.api.docs import operation
from server.api.requests import body_as
from server.app_state import catalog, heavy_lane
from server.errors import ClientClosedRequest, HeavyMatchesBusy
from server.limits import limiter, match_limit, match_work_cost, match_work_limit
from server.matching import Passage
from server.matching.budget import Cancelled
from server.schemas import MatchIn, MatchOut
from server.services import match_metrics
from server.services.budgets import match_budget
from server.services.heavy_lane import quote_tier_only, within_reach

blueprint = Blueprint("match", __name__)
log = logging.getLogger("gloss.match")


@blueprint.post("/match")
@limiter.limit(match_limit)
@limiter.limit(match_work_limit, cost=match_work_cost)
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
    with heavy_lane().admit(request.content_length) as admission:
        if admission is None:
            match_metrics.SHED.inc()
            raise HeavyMatchesBusy("The server is busy with other large pages.", retry_after=2)
        return _match(started, heavy=admission.heavy)


def _match(started: float, heavy: bool) -> dict[str, object]:
    page = body_as(MatchIn)
    passages = [Passage(p.id, p.text) for p in page.passages]
    tiers: Sequence[str] = page.tiers
    left_out = False
    if heavy:
        passages, left_out = within_reach(passages, heavy_lane().threshold_bytes)
        tiers, skipped = quote_tier_only(tiers)
        left_out |= skipped
    budget = match_budget(request.environ, heavy=heavy)
    index = catalog()
    try:
        result = index.match_page(page.url, passages, budget, tiers=tiers)
        result.partial |= left_out
    except Cancelled:
        match_metrics.observe(None, time.perf_counter() - started)
        log.info("match page_sha256=%s cancelled: the client left", url_digest(page.url))
        raise ClientClosedRequest() from None
    elapsed_ms = (time.perf_counter() - started) * 1000
    match_metrics.observe(result, elapsed_ms / 1000)
    match_metrics.observe_index(
        index.generation, index.published_count, index.index_bytes, index.rows_read
    )
    log.info(
        "match page_sha256=%s passages=%d cards=%d ms=%.1f partial=%s capped=%s",
        url_digest(page.url),
        len(passages),
        len(result.cards),
        elapsed_ms,
        result.partial,
        result.capped,
    )
    return {
        "cards": result.cards,
        "partial": result.partial,
        "capped": result.capped,
        "reworded_unread": result.reworded_unread,
    }


def url_digest(url: str) -> str:
    """SHA-256 of a page URL as sent (lone surrogates kept as they came), in hex."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
