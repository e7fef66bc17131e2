"""The notes list: search and filters over every note, keyset-paged in id order.

Paging walks the primary key (``id > last id``, ``LIMIT n+1``), so page 2,000 of 100k notes costs
what page 1 costs. The filters are the API's own ``NotesQuery``.
"""

from __future__ import annotations

import re

from flask import render_template, request
from pydantic import ValidationError

from server.app_state import database
from server.console.blueprint import blueprint
from server.console.session import requires
from server.importers import SOURCES
from server.schemas import SLUG_PATTERN, NotesQuery
from server.store import feedback as feedback_store
from server.store import notes as note_store

PAGE_SIZE = 50
FILTERS = ("q", "kind", "status", "domain")
ORIGINS = (note_store.CURATED, *SOURCES)  # the "dataset" filter: curators' own or one import


@blueprint.get("/notes")
@requires("curator")
def notes() -> tuple[str, int]:
    raw = {k: v for k in FILTERS if (v := request.args.get(k, "").strip())}
    after = request.args.get("after", "")
    after = after if re.fullmatch(SLUG_PATTERN, after) else ""
    origin = request.args.get("dataset", "").strip()
    try:
        query = NotesQuery.model_validate({**raw, "limit": PAGE_SIZE})
        problem = None if origin in ("", *ORIGINS) else "Unknown dataset; it was ignored."
    except ValidationError:
        query, problem = (
            NotesQuery(limit=PAGE_SIZE),
            "Some filters were not valid and were ignored.",
        )
    if origin in ORIGINS:
        raw["dataset"] = origin
    else:
        origin = ""
    statuses = [s for s in ("draft", "published", "retired") if query.status in (None, s)]
    with database().session() as session:
        found = note_store.search(
            session,
            statuses=statuses,
            kind=query.kind,
            domain=query.domain,
            text=query.q,
            after_id=after or None,
            origin=origin or None,
            limit=PAGE_SIZE + 1,
        )
        page = found[:PAGE_SIZE]
        counts = feedback_store.counts(session, [n.id for n in page])
    next_after = page[-1].id if len(found) > PAGE_SIZE else None
    status = 422 if problem else 200
    return (
        render_template(
            "console/notes.html",
            notes=page,
            counts=counts,
            filters=raw,
            after=after,
            next_after=next_after,
            problem=problem,
            origins=ORIGINS,
        ),
        status,
    )
