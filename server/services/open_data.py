"""``POST /v1/import?source=…``: an open-data file sent as the request body, imported."""

from __future__ import annotations

import io
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from server.errors import DatabaseUnavailable, InvalidInput, UnsupportedMediaType
from server.importers import ImportFailed, UnknownRatingSet, Unreadable, run_source
from server.schemas import ImportQuery
from server.services import import_progress
from server.store import Database

SOURCE_TYPES = (
    "text/plain",
    "text/csv",
    "text/x-wiki",
    "application/x-ndjson",
    "application/jsonl",
    "application/json",
    "application/ld+json",
    "application/octet-stream",
)


JSON_TYPES = ("application/json", "application/ld+json")


def import_body(database: Database, query: ImportQuery) -> dict[str, Any]:
    """Import the request body as ``query.source``; the report, or a problem."""
    assert query.source is not None
    if request.mimetype not in SOURCE_TYPES:
        raise UnsupportedMediaType(f"Send the file as one of {', '.join(SOURCE_TYPES)}.")
    raw = request.get_data(cache=False)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        raise RequestEntityTooLarge()
    if request.mimetype in JSON_TYPES and not raw.lstrip().startswith((b"{", b"[")):
        # the documented JSON body is an object or a list (a feed, or JSON Lines of objects)
        raise InvalidInput(
            "A JSON body is an object or a list.",
            errors=[{"field": "(body)", "message": "must be a JSON object or list"}],
        )
    try:
        report = run_source(
            database,
            query.source,
            io.BytesIO(raw),
            dry_run=query.dry_run,
            rating_set=query.rating_set,
        )
    except UnknownRatingSet as exc:
        raise InvalidInput(
            str(exc), errors=[{"field": "rating_set", "message": "unknown rating set"}]
        ) from None
    except Unreadable as exc:
        raise InvalidInput(
            f"{exc}; entries before the error were imported, nothing was retired.",
            errors=[{"field": "(body)", "message": str(exc)}],
        ) from None
    except ImportFailed as exc:
        import_progress.record_source(exc.report)
        raise DatabaseUnavailable(
            f"{exc} (before it: {exc.report.counts()}). Send the same file again to resume."
        ) from None
    import_progress.record_source(report)
    return report.as_dict()
