"""Retention: articles remember when their texts were pruned.

Revision ID: 0003_retention
Revises: 0002
Create Date: 2026-12-02

A nullable column added in place (SQLite does it without a table copy).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_retention"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("pruned_at")
