"""Alembic migrations for the Gloss schema; see README.md here and ``server.store.migrate``."""
