"""A case-folded search column on notes, so search ignores case in every script on SQLite too.

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-03

The backfill folds like ``server.store.search_text`` does today (a copy, so that later changes
to that module cannot change what this migration did).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 1000


def _folded(title: str, summary: str, quotes: Any) -> str:
    if isinstance(quotes, str):
        quotes = json.loads(quotes)
    return "\x1f".join([title, summary, *(str(q) for q in quotes or [])]).casefold()


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    notes = sa.table(
        "notes",
        sa.column("id", sa.String()),
        sa.column("title", sa.String()),
        sa.column("summary", sa.Text()),
        sa.column("quotes", sa.JSON()),
        sa.column("search_text", sa.Text()),
    )
    conn = op.get_bind()
    after = ""
    while True:
        rows = conn.execute(
            sa.select(notes.c.id, notes.c.title, notes.c.summary, notes.c.quotes)
            .where(notes.c.id > after)
            .order_by(notes.c.id)
            .limit(BATCH)
        ).all()
        for note_id, title, summary, quotes in rows:
            conn.execute(
                notes.update()
                .where(notes.c.id == note_id)
                .values(search_text=_folded(title, summary, quotes))
            )
        if len(rows) < BATCH:
            break
        after = rows[-1][0]
    with op.batch_alter_table("notes") as batch:
        batch.alter_column("search_text", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("search_text")
