"""Who is signed in to the console: a token exchanged for a signed session cookie.

The cookie holds only the token's id (never its secret), signed with the app's secret key; each
request checks that the token still exists and is not revoked, so revoking a token ends its
console sessions too. The cookie is HttpOnly, SameSite=Strict, limited to ``/console``, and
Secure whenever the request came over TLS (directly or through a trusted proxy).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from server.app_state import database, settings
from server.auth import Principal
from server.errors import Forbidden
from server.store import tokens as token_store

F = TypeVar("F", bound=Callable[..., Any])


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure when the request itself was secure."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if request.is_secure:
            return True
        if settings().proxy_hops:
            forwarded = request.headers.get("X-Forwarded-Proto", "")
            return forwarded.split(",")[-1].strip().lower() == "https"
        return bool(app.config["SESSION_COOKIE_SECURE"])


def sign_in(principal: Principal) -> None:
    """Start a fresh session (a new CSRF token too) for ``principal``."""
    session.clear()
    session.permanent = True
    session["token_id"] = principal.token_id


def sign_out() -> None:
    session.clear()


def current_user() -> Principal | None:
    """The signed-in token's holder, or None; a revoked token signs its sessions out."""
    if "console_user" in g:
        return cast(Principal | None, g.console_user)
    user = None
    token_id = session.get("token_id")
    if isinstance(token_id, int):
        with database().session() as db:
            token = token_store.get(db, token_id)
            if token is not None and token.revoked_at is None:
                user = Principal(token.id, token.name, token.role)
        if user is None:
            session.clear()
    g.console_user = user
    return user


def requires(role: str) -> Callable[[F], F]:
    """A console page for ``role`` or higher: sign-in page when anonymous, 403 when lower."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("console.sign_in", next=request.full_path.rstrip("?")))
            if not user.has(role):
                raise Forbidden(f"This page needs the {role} role.")
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate
