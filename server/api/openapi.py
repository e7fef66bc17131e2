"""``GET /v1/openapi.json`` (OpenAPI 3.1) and ``GET /docs`` (a readable page, no CDN).

The document is generated from the ``@operation`` records on the views and from pydantic's
JSON Schema (draft 2020-12, which OpenAPI 3.1 uses as is).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, current_app, render_template
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from server.api import converters
from server.api.docs import Operation, operation
from server.errors import PROBLEM_MEDIA_TYPE
from server.schemas import ProblemOut
from server.version import VERSION

blueprint = Blueprint("openapi", __name__, template_folder="templates")
docs_blueprint = Blueprint("docs", __name__, template_folder="templates")

REF = "#/components/schemas/{model}"
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No content",
    304: "Not modified",
    400: "Malformed JSON",
    401: "No valid token",
    403: "Role too low",
    404: "Not found",
    409: "Conflict",
    412: "Stale If-Match",
    413: "Body too large",
    415: "Wrong content type",
    422: "Invalid input",
    428: "If-Match required",
    429: "Rate limited",
    503: "Database unavailable",
}
COMMON_ERRORS = (500,)
LINE_TOO_LONG = (
    "Malformed request: a request line over 8,190 bytes (a long query or path) is refused by "
    "the HTTP server, in plain text, before the API reads it"
)
_PATH_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


@blueprint.get("/openapi.json")
@operation(summary="This OpenAPI document", tag="meta")
def get_openapi() -> dict[str, Any]:
    return build_document(current_app)


@docs_blueprint.get("/docs")
def get_docs() -> str:
    return render_template("docs.html", doc=build_document(current_app))


OperationEntry = tuple[str, str, Operation, list[tuple[str, dict[str, Any]]], str]


def _path_schema(rule: Rule, name: str) -> dict[str, Any]:
    """The JSON Schema of a path parameter, from the converter Werkzeug matches it with."""
    return converters.json_schema(rule._converters[name])


def _operations(app: Flask) -> list[OperationEntry]:
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "gloss_operation", None)
        if op is None:
            continue
        params = [(name, _path_schema(rule, name)) for _, name in _PATH_ARG.findall(rule.rule)]
        path = _PATH_ARG.sub(r"{\2}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), op, params, rule.endpoint.replace(".", "_")))
    return found


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document for every route that carries an ``@operation``."""
    ops = _operations(app)
    models: set[type[BaseModel]] = {ProblemOut}
    for _, _, op, _, _ in ops:
        models |= {m for m in (op.body, op.query, *op.responses.values()) if m is not None}
    ordered = sorted(models, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "validation") for m in ordered], ref_template=REF)
    schemas = defs.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    for path, method, op, params, endpoint in ops:
        paths.setdefault(path, {})[method] = _operation_object(op, params, endpoint)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gloss API",
            "version": VERSION,
            "description": "Context cards anchored to the passages people read. "
            "Errors are RFC 9457 problem details.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `gloss tokens create` or POST /v1/tokens.",
                }
            },
        },
    }


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _operation_object(
    op: Operation, params: list[tuple[str, dict[str, Any]]], operation_id: str
) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": param_schema}
        for name, param_schema in params
    ]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF)
        for name, prop in schema.get("properties", {}).items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in schema.get("required", []),
                    "schema": prop,
                }
            )
    for name, description in op.headers.items():
        parameters.append(
            {
                "name": name,
                "in": "header",
                "required": name in op.required_headers,
                "description": description,
                "schema": {"type": "string"},
            }
        )
    result: dict[str, Any] = {
        "summary": op.summary,
        "operationId": operation_id,
        "responses": {},
    }
    if op.tag:
        result["tags"] = [op.tag]
    if op.description:
        result["description"] = op.description
    if parameters:
        result["parameters"] = parameters
    if op.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {t: {"schema": _ref(op.body)} for t in op.body_types},
        }
    if op.auth in ("curator", "admin"):
        result["security"] = [{"bearer": []}]
        result["description"] = (op.description + f" Needs the {op.auth} role.").strip()
    elif op.auth == "optional":
        result["security"] = [{}, {"bearer": []}]
    for status, model in op.responses.items():
        response: dict[str, Any] = {"description": STATUS_TEXT.get(status, "OK")}
        if model is not None:
            response["content"] = {"application/json": {"schema": _ref(model)}}
        result["responses"][str(status)] = response
    errors = set(op.errors) | set(COMMON_ERRORS)
    if op.body is not None:
        errors |= {400, 413, 415, 422}
    if op.query is not None:
        errors.add(422)
    if op.auth in ("curator", "admin"):
        errors |= {401, 403}
    if op.auth == "optional":
        errors.add(401)
    for status in sorted(errors):
        result["responses"][str(status)] = {
            "description": STATUS_TEXT.get(status, "Server error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _ref(ProblemOut)}},
        }
    # Any request whose request line passes the HTTP server's limit (8,190 bytes: a long query
    # or path) is refused by gunicorn before the API reads it, with its own plain-text 400.
    result["responses"].setdefault("400", {"description": LINE_TOO_LONG})
    return result
