"""The outbox forgets ``match_id``: a notification belongs to a story alert (``alert_id``), not to a match.

Revision ID: 0006_outbox_without_match
Revises: 0005_delivery
Create Date: 2026-12-04

The batched alert planner (issue 10) replaced the only writer of the column; every row since then holds
NULL there, and the index and foreign key to ``matches`` cost a lookup on every match deleted by retention.
The downgrade brings back an empty column with its index and foreign key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_outbox_without_match"
down_revision = "0005_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_match_id", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_match_id_matches", type_="foreignkey")
        batch.drop_column("match_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("match_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch.create_foreign_key(
            "fk_outbox_match_id_matches", "matches", ["match_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_outbox_match_id", "outbox", ["match_id"])
