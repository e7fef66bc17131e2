"""Storage: SQLAlchemy models and the only code that runs SQL."""

from server.store.db import Database

__all__ = ["Database"]
