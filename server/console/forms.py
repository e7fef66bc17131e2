"""Between HTML form fields and the API's note shape.

A form is parsed into the same dict a JSON client would send, and validated by the API's own
pydantic models (through the services), so the console accepts exactly what the API accepts.
Lists are one item per line; a source is "title | https://…".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.store.models import Note

LIST_FIELDS = ("quotes", "domains", "aliases")
TEXT_FIELDS = ("kind", "title", "summary", "body", "rating", "status")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _source(line: str) -> dict[str, str]:
    title, sep, url = line.rpartition("|")
    if not sep:
        return {"title": line, "url": line}
    return {"title": title.strip(), "url": url.strip()}


def content_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The note a form describes, as API JSON (empty optional fields left out)."""
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value:
            data[name] = value
    for name in LIST_FIELDS:
        data[name] = _lines(form.get(name, ""))
    data["sources"] = [_source(line) for line in _lines(form.get("sources", ""))]
    return data


def form_from_content(content: Mapping[str, Any]) -> dict[str, str]:
    """Form field values for a note (stored, a snapshot, or parsed from a form)."""
    values = {name: str(content.get(name) or "") for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = "\n".join(content.get(name) or [])
    values["sources"] = "\n".join(
        f"{s.get('title', '')} | {s.get('url', '')}" for s in content.get("sources") or []
    )
    return values


def form_from_note(note: Note) -> dict[str, str]:
    return form_from_content(
        {name: getattr(note, name) for name in (*TEXT_FIELDS, *LIST_FIELDS, "sources")}
    )


NOTE_FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "sources")


def errors_by_field(
    errors: Iterable[Mapping[str, str]], fields: tuple[str, ...] = NOTE_FIELDS
) -> dict[str, list[str]]:
    """The API's ``errors`` (``quotes.0``, ``(body)`` …) grouped under the form's fields."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        head = error.get("field", "").split(".")[0]
        field = head if head in fields else "form"
        message = error.get("message", "invalid")
        detail = error.get("field", "")
        if field != "form" and "." in detail:
            message = (
                f"line {int(detail.split('.')[1]) + 1}: {message}"
                if detail.split(".")[1].isdigit()
                else message
            )
        grouped.setdefault(field, []).append(message)
    return grouped
