"""The curator console: server-rendered pages over the same services as the API.

``init_app`` wires what every console page shares: the session cookie (signed with
``GLOSS_SECRET_KEY`` or a key kept in the database, so all workers and instances agree), CSRF
protection on every form (Flask-WTF's ``CSRFProtect``, checked only for console routes so API
clients with bearer tokens are unaffected), and security headers — a strict Content-Security-Policy
without inline script, ``frame-ancestors 'none'`` — on every response under ``/console``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect

from server.config import Settings
from server.console import (  # noqa: F401 - each module registers its pages
    editor,
    errors,
    feedback,
    history,
    imports,
    notes,
    sign_in,
    tokens,
)
from server.console.blueprint import blueprint
from server.console.session import ConsoleSessionInterface, current_user
from server.store import Database, console_secret

csrf = CSRFProtect()

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # Flask-WTF checks the Referer of HTTPS form posts
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask, settings: Settings, database: Database) -> None:
    """Register the console under ``/console``."""
    app.secret_key = settings.secret_key or console_secret.get_or_create(database)
    app.config.update(
        SESSION_COOKIE_NAME="gloss_console",
        SESSION_COOKIE_PATH="/console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in the console's before_request only
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session
        WTF_CSRF_SSL_STRICT=True,
    )
    app.session_interface = ConsoleSessionInterface()
    csrf.init_app(app)
    app.register_blueprint(blueprint)

    @app.after_request
    def _headers(response: Response) -> Response:
        if request.path == "/console" or request.path.startswith("/console/"):
            response.headers.update(SECURITY_HEADERS)
            response.headers.setdefault("Cache-Control", "no-store")
        return response


@blueprint.context_processor
def _user() -> dict[str, object]:
    return {"console_user": current_user}


@blueprint.before_request
def _check_csrf() -> None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
