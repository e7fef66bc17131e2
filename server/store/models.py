"""Tables, as SQLAlchemy 2 declarative models. Timestamps are UTC and timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Store UTC; hand back aware datetimes even where the database (SQLite) forgets the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, in UTC, with microseconds: the one clock every write uses."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Note(Base):
    """A curated note. ``seq`` is the catalog generation of its last change (see CatalogState)."""

    __tablename__ = "notes"
    # Lists filtered by one status walk this index in id order (keyset paging, no sort).
    __table_args__ = (Index("ix_notes_status_id", "status", "id"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[str | None] = mapped_column(String(16))
    quotes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    domains: Mapped[list[Any]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Title, summary and quotes case-folded for search (kept by ``store.search_text``)."""
    # Imported data (server.importers): where the note comes from, a publisher's reliability
    # status and the rating sets that score it; ``import_source`` finds a source's notes.
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reliability: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ratings: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    import_source: Mapped[str | None] = mapped_column(String(80), index=True)


class NoteTombstone(Base):
    """A purged note, kept so that every worker's index learns it is gone."""

    __tablename__ = "note_tombstones"

    note_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class CatalogState(Base):
    """One row: the generation counter, bumped by every note write inside its transaction.

    Updating this row takes a row lock, so note writes commit in generation order and a worker
    that has seen generation N has seen every change up to N.
    """

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    """A curator or admin token; only the SHA-256 of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NoteRevision(Base):
    """A full snapshot of a note after one change, with who made it and why."""

    __tablename__ = "note_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    note_id: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Feedback(Base):
    """Readers' helpful / not helpful votes; no account, no page text."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    note_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("notes.id", ondelete="CASCADE"), index=True
    )
    helpful: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsoleSecret(Base):
    """One row: the console's session-signing key when the operator set none (shared by all
    workers and instances on this database)."""

    __tablename__ = "console_secret"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
