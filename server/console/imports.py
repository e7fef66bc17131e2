"""Import: upload a file, read the dry-run report, confirm, read the final report.

Both steps call the import service the API uses (``interchange.run_import``); the console never
writes notes itself. Between the two steps the document travels back in the confirm form, so
no upload is kept on the server.
"""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request

from server.app_state import database, settings
from server.console.blueprint import blueprint
from server.console.session import current_user, requires
from server.errors import ApiError
from server.services import interchange


@blueprint.get("/import")
@requires("curator")
def import_page() -> str:
    return render_template("console/import.html", report=None, problem=None, document="")


@blueprint.post("/import")
@requires("curator")
def import_post() -> tuple[str, int]:
    confirm = request.form.get("confirm") == "1"
    if confirm:
        text = request.form.get("document", "")
    else:
        upload = request.files.get("file")
        text = (
            upload.read(settings().max_body_bytes + 1).decode("utf-8", "replace") if upload else ""
        )
    try:
        document = _document(text)
        user = current_user()
        assert user is not None
        report = interchange.run_import(database(), document, dry_run=not confirm, author=user.name)
    except ApiError as exc:
        problem = {
            "detail": exc.description,
            "refused": exc.extra.get("items") or [],
            "errors": exc.extra.get("errors") or [],
        }
        return render_template(
            "console/import.html", report=None, problem=problem, document=""
        ), exc.code or 422
    return render_template(
        "console/import.html", report=_lists(report), raw=report, problem=None, document=text
    ), 200


def _document(text: str) -> Any:
    from server.errors import InvalidInput

    if not text.strip():
        raise InvalidInput(
            "Choose a file to import.", errors=[{"field": "file", "message": "no file"}]
        )
    if len(text) > settings().max_body_bytes:
        raise InvalidInput(
            "The file is too large.", errors=[{"field": "file", "message": "too large"}]
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "The file is not JSON.",
            errors=[{"field": "file", "message": f"not JSON (line {exc.lineno})"}],
        ) from None


def _lists(report: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """Every list in the service's report (created, updated, unchanged, and any it adds)."""
    return [(name, value) for name, value in report.items() if isinstance(value, list)]
