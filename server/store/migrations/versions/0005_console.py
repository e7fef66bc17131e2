"""Curator console: feedback "handled" marks, the persisted session-signing key, and an index
for listing notes of one status in id order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # The console's notes list, filtered by status, pages in id order without sorting.
    op.create_index("ix_notes_status_id", "notes", ["status", "id"])
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("handled_at", UTC_DATETIME, nullable=True))
    op.create_table(
        "console_secret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_index("ix_notes_status_id", table_name="notes")
    op.drop_table("console_secret")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("handled_at")
