"""Console errors as HTML pages (the API keeps its problem JSON); a failed CSRF check is a 403."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.console.blueprint import blueprint


@blueprint.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> tuple[str, int]:
    status = 403 if isinstance(exc, CSRFError) else exc.code or 500
    title = "Form expired or forged" if isinstance(exc, CSRFError) else exc.name
    detail = (
        "The form was missing its security token or it did not match your session. "
        "Reload the page and try again."
        if isinstance(exc, CSRFError)
        else exc.description
    )
    return render_template("console/error.html", status=status, title=title, detail=detail), status
