"""Reworded tier: a per-note ``reworded`` flag and the stored vectors of claim texts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Existing notes take part in the reworded tier (the flag defaults to true); their vectors are
made by ``gloss reembed`` or, until then, by each worker as it loads them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.add_column(
            sa.Column("reworded", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "note_vectors",
        sa.Column("note_id", sa.String(80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("model_name", sa.String(100), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("note_id", "number"),
    )


def downgrade() -> None:
    op.drop_table("note_vectors")
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("reworded")
