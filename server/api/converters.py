"""URL converters for path parameters: a path that cannot name anything is a 404 at routing.

Ids are checked here, before any view or database sees them, so a NUL byte, a lone surrogate,
a dot-dot or an integer wider than SQL's fall out as "not found" instead of reaching SQLite or
PostgreSQL (which fail on some of them). The OpenAPI document describes each parameter from the
converter that matches it.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter, IntegerConverter

from server.schemas import NOTE_ID_MAX, NOTE_ID_MIN, SLUG_PATTERN

SQL_INTEGER_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<id:name>``: a row id or revision number, 1 to the largest SQL ``INTEGER``."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=SQL_INTEGER_MAX)


class NoteIdConverter(BaseConverter):
    """``<note:name>``: a note id, a slug of 3 to 80 characters like the ones notes are given.

    The length is part of the regex (each hyphen must be followed by a letter or digit):
    refusing a length in ``to_python`` instead makes Werkzeug answer 405 rather than 404.
    """

    min_length, max_length = NOTE_ID_MIN, NOTE_ID_MAX
    regex = rf"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){{{min_length - 1},{max_length - 1}}}"


CONVERTERS: dict[str, type[BaseConverter]] = {"id": IdConverter, "note": NoteIdConverter}


def json_schema(converter: BaseConverter) -> dict[str, Any]:
    """The JSON Schema of the path parameter this converter matches."""
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer"}
        if converter.min is not None:
            schema["minimum"] = converter.min
        if converter.max is not None:
            schema["maximum"] = converter.max
        return schema
    if isinstance(converter, NoteIdConverter):
        return {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "minLength": converter.min_length,
            "maxLength": converter.max_length,
        }
    return {"type": "string"}
