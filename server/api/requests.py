"""Reading requests: JSON bodies (typed, size-capped) and query strings, with precise problems."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request
from pydantic import BaseModel

from server.errors import InvalidInput, MalformedJson, UnsupportedMediaType
from server.schemas import parse

M = TypeVar("M", bound=BaseModel)
JSON = ("application/json",)


def json_body(accept: tuple[str, ...] = JSON) -> Any:
    """The parsed JSON body; 415 for another media type, 400 for bytes that are not JSON."""
    if request.mimetype not in accept:
        raise UnsupportedMediaType(f"Send the body as {' or '.join(accept)}.")
    raw = request.get_data(cache=False)  # Werkzeug raises 413 past MAX_CONTENT_LENGTH
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MalformedJson("The body is not valid UTF-8.") from None
    except RecursionError:
        raise MalformedJson("The JSON is nested too deeply.") from None
    except ValueError as exc:
        raise MalformedJson(f"The body is not valid JSON: {exc.args[0].split(':')[0]}.") from None


def body_as(model: type[M], accept: tuple[str, ...] = JSON) -> M:
    """The JSON body validated with ``model`` (422 listing each bad field)."""
    return parse(model, json_body(accept))


def query_as(model: type[M]) -> M:
    """The query string validated with ``model``; a repeated parameter is refused."""
    values: dict[str, str] = {}
    for key, items in request.args.lists():
        if len(items) > 1:
            raise InvalidInput(
                "A query parameter is repeated.", errors=[{"field": key, "message": "give it once"}]
            )
        values[key] = items[0]
    return parse(model, values)
