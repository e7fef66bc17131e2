"""Every error a client can see, as RFC 9457 problem details (``application/problem+json``).

One handler turns any ``HTTPException`` (ours or Werkzeug's) into a problem document; an
unexpected exception becomes a 500 without a traceback. Bodies never echo the client's input.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from pydantic import ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://gloss.invalid/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiError(HTTPException):
    """An error with a stable problem ``type`` slug, a title and optional extension members."""

    code = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(
        self, detail: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(description=detail)
        self.extra_headers = headers or {}
        self.extra = extra


class MalformedJson(ApiError):
    code, slug, title = 400, "malformed-json", "Malformed JSON"


class Unauthorized(ApiError):
    code, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(ApiError):
    code, slug, title = 403, "forbidden", "Not allowed"


class NotFound(ApiError):
    code, slug, title = 404, "not-found", "Not found"


class Conflict(ApiError):
    code, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(ApiError):
    code, slug, title = 412, "precondition-failed", "Precondition failed"


class UnsupportedMediaType(ApiError):
    code, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class InvalidInput(ApiError):
    code, slug, title = 422, "invalid-input", "Invalid input"


class PreconditionRequired(ApiError):
    code, slug, title = 428, "precondition-required", "Precondition required"


class ClientClosedRequest(ApiError):
    """The client left before the answer was ready (nginx's 499); nobody reads this."""

    code, slug, title = 499, "client-closed-request", "Client closed request"


class DatabaseUnavailable(ApiError):
    code, slug, title = 503, "database-unavailable", "Database unavailable"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class HeavyMatchesBusy(ApiError):
    """Every slot for large pages is taken (server.services.heavy_lane); try again shortly."""

    code, slug, title = 503, "heavy-matches-busy", "Busy with large pages"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class ImportInterrupted(ApiError):
    """An import whose writing stopped part-way on a database error; earlier batches stay."""

    code, slug, title = 503, "import-interrupted", "Import interrupted"

    def __init__(self, detail: str, **written: Any) -> None:
        super().__init__(detail, headers={"Retry-After": "5"}, **written)


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One ``{field, message}`` per invalid field, without pydantic's input echo or doc links."""
    out = []
    for err in exc.errors(include_url=False, include_input=False, include_context=False):
        field = ".".join(str(part) for part in err["loc"]) or "(body)"
        message = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        out.append({"field": field, "message": message})
    return out


def invalid(exc: ValidationError) -> InvalidInput:
    """The 422 for a pydantic validation failure."""
    errors = field_errors(exc)
    count = len(errors)
    return InvalidInput(f"{count} invalid field{'s' if count != 1 else ''}.", errors=errors)


def problem_response(exc: HTTPException) -> Response:
    """Render any HTTP exception as problem JSON, keeping its status and useful headers."""
    status = exc.code or 500
    if isinstance(exc, ApiError):
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + exc.slug,
            "title": exc.title,
            "status": status,
            "detail": exc.description or exc.title,
            **exc.extra,
        }
        headers = dict(exc.extra_headers)
    else:
        body = {
            "type": "about:blank",
            "title": exc.name,
            "status": status,
            "detail": exc.description
            if status < 500
            else "The server could not handle the request.",
        }
        headers = {}
        if exc.response is not None:
            for name in ("Allow", "Retry-After", "WWW-Authenticate"):
                if name in exc.response.headers:
                    headers[name] = exc.response.headers[name]
        elif status == 405:
            allow = getattr(exc, "valid_methods", None)
            if allow:
                headers["Allow"] = ", ".join(allow)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers)
    return response


def init_app(app: Flask) -> None:
    """Register the single problem-JSON handler for HTTP errors and for unexpected exceptions."""

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return problem_response(exc)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def _database(exc: Exception) -> Response:
        # Unreachable, locked past the server's timeout, or a statement cancelled for taking
        # too long: a passing condition the client may retry, not a bug.
        log.warning("database unavailable: %s", type(exc).__name__)
        return problem_response(DatabaseUnavailable("The database did not answer in time."))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error")
        return problem_response(InternalServerError())
