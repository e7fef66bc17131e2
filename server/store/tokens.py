"""API tokens: created with a random secret shown once, kept only as a SHA-256 hash.

The secrets are 256-bit random values, so a fast hash is enough (no password stretching
needed), and lookups by hash are compared again in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.store.models import ApiToken, utcnow

TOKEN_PREFIX = "gloss_"
ROLES = ("curator", "admin")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(session: Session, name: str, role: str) -> tuple[ApiToken, str]:
    """Store a new token; returns the row and the secret (the only time it exists in clear)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, role=role, secret_hash=hash_secret(secret), created_at=utcnow())
    session.add(token)
    session.flush()
    return token, secret


def find_active(session: Session, secret: str) -> ApiToken | None:
    """The unrevoked token whose secret this is, or None."""
    digest = hash_secret(secret)
    token = session.execute(
        select(ApiToken).where(ApiToken.secret_hash == digest)
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token.secret_hash, digest):
        return None
    return token


def list_all(session: Session) -> Sequence[ApiToken]:
    return session.execute(select(ApiToken).order_by(ApiToken.id)).scalars().all()


def get(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def revoke(session: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def touch(session: Session, token_id: int, when: datetime) -> None:
    """Record that a token was used."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when))
