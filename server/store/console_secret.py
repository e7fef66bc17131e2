"""The console's session-signing key, generated once and kept in the database.

Every worker of every instance reads the same row, so a session cookie signed by one worker is
accepted by all of them; the first process to start writes it, the others find it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.store import Database
from server.store.models import ConsoleSecret, utcnow


def get_or_create(database: Database) -> str:
    """The stored key; a fresh random one (256 bits) when none is stored yet."""
    with database.session() as session:
        found = session.execute(select(ConsoleSecret.secret).where(ConsoleSecret.id == 1)).scalar()
    if found:
        return str(found)
    try:
        with database.transaction() as session:
            session.add(ConsoleSecret(id=1, secret=secrets.token_hex(32), created_at=utcnow()))
    except IntegrityError:  # another process stored one first: use that
        pass
    with database.session() as session:
        return str(
            session.execute(select(ConsoleSecret.secret).where(ConsoleSecret.id == 1)).scalar_one()
        )
