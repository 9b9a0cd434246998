"""Feed options on the feed row: ``fetch_full_text`` (it was looked up in the configuration by URL, and
lost when a feed moved to a new URL).

Revision ID: 0005_feed_options
Revises: 0004_quarantine
Create Date: 2026-12-02

Self-contained on purpose, like the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_feed_options"
down_revision = "0004_quarantine"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(
            sa.Column("fetch_full_text", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("fetch_full_text")
