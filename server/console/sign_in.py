"""Sign-in and sign-out: a curator or admin token is exchanged for a session cookie.

The token travels only in the POST body; it never appears in a URL, a log line or the cookie.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.app_state import database
from server.auth import Principal
from server.console import session as console_session
from server.console.blueprint import blueprint
from server.limits import limiter, write_limit
from server.store import tokens as token_store


def _safe_next(target: str | None) -> str:
    """Only a console path of this site (never another host) is a place to go back to."""
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return url_for("console.notes")


@blueprint.get("/sign-in")
def sign_in() -> str:
    return render_template("console/sign_in.html", next=request.args.get("next", ""), error=None)


@blueprint.post("/sign-in")
@limiter.limit(write_limit)
def sign_in_post() -> Response | tuple[str, int]:
    secret = request.form.get("token", "").strip()
    principal = None
    if secret and len(secret) <= 200:
        with database().session() as session:
            token = token_store.find_active(session, secret)
            if token is not None:
                principal = Principal(token.id, token.name, token.role)
    if principal is None:
        page = render_template(
            "console/sign_in.html",
            next=request.form.get("next", ""),
            error="That token is unknown or revoked.",
        )
        return page, 401
    console_session.sign_in(principal)
    return redirect(_safe_next(request.form.get("next")), code=303)


@blueprint.post("/sign-out")
def sign_out() -> Response:
    console_session.sign_out()
    return redirect(url_for("console.sign_in"), code=303)


@blueprint.get("/")
def home() -> Response:
    return redirect(url_for("console.notes"))
