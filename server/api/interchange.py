"""``POST /v1/import`` and ``GET /v1/export``: notes in and out, in three formats."""

from __future__ import annotations

from flask import Blueprint, Response, request

from server.api.docs import operation
from server.api.requests import json_body, query_as
from server.app_state import database, settings
from server.auth import require
from server.limits import export_limit, limiter, write_limit
from server.schemas import ExportQuery, ImportDocument, ImportQuery, ImportResultOut
from server.services import export_snapshot, interchange, open_data

blueprint = Blueprint("interchange", __name__)
IMPORT_TYPES = ("application/json", "application/ld+json")


@blueprint.post("/import")
@limiter.limit(write_limit)
@operation(
    summary="Import notes (bundle, ClaimReview or Web Annotation)",
    tag="interchange",
    query=ImportQuery,
    body=ImportDocument,
    body_types=IMPORT_TYPES,
    auth="curator",
    responses={200: ImportResultOut},
    errors=(413, 415, 429, 503),
    description="A bad item fails the request with per-item errors (`items`) and nothing is "
    "written. Valid imports are written in short batches; a database failure part-way is a "
    "503 listing the notes written (import again to finish). `?dry_run=true` only reports.\n\n"
    "With `?source=wikipedia-rsp|domain-ratings|claimreview-feed` the body is that source's "
    "file as a self-hoster downloads it (`text/plain`, `text/csv`, `application/x-ndjson` or "
    "JSON; 2 MB at most: use `gloss import SOURCE FILE` for larger files). Entries are "
    "written in batches and re-imports are safe; the answer is the import's report "
    "(counts, conflicts, refusals with reasons).",
)
def post_import() -> dict[str, object]:
    principal = require("curator")
    query = query_as(ImportQuery)
    if query.source is not None:
        return open_data.import_body(database(), query)
    document = json_body(IMPORT_TYPES)
    return interchange.run_import(
        database(), document, dry_run=query.dry_run, author=principal.name
    )


@blueprint.get("/export")
@limiter.limit(export_limit)
@operation(
    summary="Export the published notes",
    tag="interchange",
    query=ExportQuery,
    responses={200: None},
    errors=(429,),
    description="A Gloss bundle, a list of ClaimReview objects, or a Web Annotation page, "
    "streamed from a snapshot taken when the notes last changed (`ETag`, `If-None-Match`).",
)
def get_export() -> Response:
    query = query_as(ExportQuery)
    config = settings()
    directory = export_snapshot.cache_dir(config.cache_dir, config.database_url)
    snapshot = export_snapshot.current(database(), directory, query.format, config.publisher_name)
    mimetype = "application/json" if query.format == "bundle" else "application/ld+json"
    if request.if_none_match.contains(snapshot.etag):
        response = Response(status=304)
    else:
        response = Response(export_snapshot.read(snapshot), mimetype=mimetype)
        response.content_length = snapshot.path.stat().st_size
    response.set_etag(snapshot.etag)
    return response
