"""Quarantined articles: those whose rule evaluation went over the time budget, set aside with the reason.

Revision ID: 0004_quarantine
Revises: 0003_retention
Create Date: 2026-12-02

Self-contained on purpose (plain SQLAlchemy types, no imports from newsmon), like 0001 and 0002. A new
table, not columns on ``articles``: SQLite adds it without copying the largest table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_quarantine"
down_revision = "0003_retention"
branch_labels = None
depends_on = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "quarantined_articles",
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_quarantined_articles_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_quarantined_articles"),
    )
    op.create_index("ix_quarantined_articles_quarantined_at", "quarantined_articles", ["quarantined_at"])


def downgrade() -> None:
    op.drop_index("ix_quarantined_articles_quarantined_at", "quarantined_articles")
    op.drop_table("quarantined_articles")
