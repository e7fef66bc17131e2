"""Imported data on notes: provenance, a publisher's reliability status, rating sets.

Revision ID: 0002
Revises: 0005
Create Date: 2026-12-03

``import_source`` names the importer that owns a note (``wikipedia-rsp``,
``domain-ratings:lin2023`` …), so a re-import can find the entries that left its source.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0005"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("provenance", sa.JSON(), nullable=True),
        sa.Column("reliability", sa.JSON(), nullable=True),
        sa.Column("ratings", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column("import_source", sa.String(80), nullable=True),
    ]


def upgrade() -> None:
    # A database adopted from ``create_all`` (see server.store.migrate) may have them already.
    inspector = sa.inspect(op.get_bind())
    present = {column["name"] for column in inspector.get_columns("notes")}
    indexes = {index["name"] for index in inspector.get_indexes("notes")}
    with op.batch_alter_table("notes") as batch:
        for column in _columns():
            if column.name not in present:
                batch.add_column(column)
    if "ix_notes_import_source" not in indexes:
        op.create_index("ix_notes_import_source", "notes", ["import_source"])


def downgrade() -> None:
    op.drop_index("ix_notes_import_source", table_name="notes")
    with op.batch_alter_table("notes") as batch:
        for column in ("import_source", "ratings", "reliability", "provenance"):
            batch.drop_column(column)
