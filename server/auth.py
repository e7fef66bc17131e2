"""Bearer-token authentication and roles (``curator`` < ``admin``).

A request without ``Authorization`` is anonymous: it may read published notes and match.
A request with a header must carry a valid, unrevoked token, whatever it asks for. Secrets
never reach logs or error bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import g, request

from server.app_state import database
from server.errors import Forbidden, Unauthorized
from server.store import tokens as token_store
from server.store.models import utcnow

RANK = {"curator": 1, "admin": 2}
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    role: str

    def has(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def _challenge(error: str | None = None) -> dict[str, str]:
    value = 'Bearer realm="gloss"'
    if error:
        value += f', error="{error}"'
    return {"WWW-Authenticate": value}


def current_principal() -> Principal | None:
    """Who is calling: None when anonymous; 401 when a token is sent but not valid."""
    if "gloss_principal" in g:
        return g.gloss_principal  # type: ignore[no-any-return]
    header = request.headers.get("Authorization")
    principal = None
    if header is not None:
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret or len(secret) > 200:
            raise Unauthorized(
                "Send a token as 'Authorization: Bearer <token>'.",
                headers=_challenge("invalid_request"),
            )
        principal = _lookup(secret)
    g.gloss_principal = principal
    return principal


def _lookup(secret: str) -> Principal:
    with database().session() as session:
        token = token_store.find_active(session, secret)
        if token is None:
            raise Unauthorized(
                "The token is unknown or revoked.", headers=_challenge("invalid_token")
            )
        principal = Principal(token.id, token.name, token.role)
        last_used = token.last_used_at
    now = utcnow()
    if last_used is None or now - last_used > LAST_USED_PRECISION:  # a write per minute at most
        with database().transaction() as session:
            token_store.touch(session, principal.token_id, now)
    return principal


def require(role: str) -> Principal:
    """The caller, who must hold ``role`` (or a higher one): 401 if anonymous, 403 if lower."""
    principal = current_principal()
    if principal is None:
        raise Unauthorized(
            "This needs a token: 'Authorization: Bearer <token>'.", headers=_challenge()
        )
    if not principal.has(role):
        raise Forbidden(f"This needs the {role} role.")
    return principal
