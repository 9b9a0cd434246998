"""Alerting: one alert per story, its sources, held alerts (digests, quiet hours), silences.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-01

Self-contained on purpose (plain SQLAlchemy types, no imports from newsmon), like 0001. The outbox gets
three columns added in place (nullable or with a server default), which SQLite does without a table copy.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.JSON:
    return sa.JSON(none_as_null=True)


def _alert_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["alert_id"], ["alerts.id"], name=f"fk_{table}_alert_id_alerts", ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("outbox") as outbox:
        outbox.add_column(sa.Column("alert_id", _id(), nullable=True))
        outbox.add_column(sa.Column("kind", sa.String(length=16), server_default="alert", nullable=False))
        outbox.add_column(sa.Column("digest_key", sa.Text(), nullable=True))
    op.create_index("ix_outbox_alert_id", "outbox", ["alert_id"])
    op.create_index("ix_outbox_digest_key", "outbox", ["digest_key"])
    _create_alerts()
    _create_alert_sources()
    _create_held_alerts()
    _create_silences()


def _create_alerts() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", _id(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("story_id", _id(), nullable=False),
        sa.Column("subscriber", sa.Text(), nullable=False),
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("rule_title", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fact", _json(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.Column("notified_at", _time(), nullable=True),
        sa.CheckConstraint(
            "status IN ('notified', 'silenced', 'inhibited', 'throttled')", name="ck_alerts_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint(
            "rule_id", "key", "story_id", "subscriber", name="uq_alerts_rule_id_key_story_id_subscriber"
        ),
    )
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_index(
        "ix_alerts_rule_id_key_subscriber_notified_at",
        "alerts",
        ["rule_id", "key", "subscriber", "notified_at"],
    )


def _create_alert_sources() -> None:
    op.create_table(
        "alert_sources",
        sa.Column("id", _id(), nullable=False),
        sa.Column("alert_id", _id(), nullable=False),
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("fact", _json(), nullable=False),
        sa.Column("recorded_at", _time(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('alert', 'update', 'recorded', 'silenced', 'inhibited', 'throttled')",
            name="ck_alert_sources_outcome",
        ),
        _alert_fk("alert_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_alert_sources"),
        sa.UniqueConstraint("alert_id", "article_id", name="uq_alert_sources_alert_id_article_id"),
    )


def _create_held_alerts() -> None:
    op.create_table(
        "held_alerts",
        sa.Column("id", _id(), nullable=False),
        sa.Column("alert_id", _id(), nullable=False),
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("subscriber", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("release_at", _time(), nullable=False),
        sa.Column("item", _json(), nullable=False),
        sa.Column("hold_key", sa.Text(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("released_at", _time(), nullable=True),
        sa.Column("digest_key", sa.Text(), nullable=True),
        sa.CheckConstraint("reason IN ('digest', 'quiet hours')", name="ck_held_alerts_reason"),
        _alert_fk("held_alerts"),
        sa.PrimaryKeyConstraint("id", name="pk_held_alerts"),
        sa.UniqueConstraint("hold_key", name="uq_held_alerts_hold_key"),
    )
    op.create_index("ix_held_alerts_alert_id", "held_alerts", ["alert_id"])
    op.create_index("ix_held_alerts_digest_key", "held_alerts", ["digest_key"])
    op.create_index("ix_held_alerts_released_at_release_at", "held_alerts", ["released_at", "release_at"])


def _create_silences() -> None:
    op.create_table(
        "silences",
        sa.Column("id", _id(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=True),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("subscriber", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("expires_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_silences"),
    )
    op.create_index("ix_silences_expires_at", "silences", ["expires_at"])


def downgrade() -> None:
    for table in ("silences", "held_alerts", "alert_sources", "alerts"):
        op.drop_table(table)
    op.drop_index("ix_outbox_digest_key", "outbox")
    op.drop_index("ix_outbox_alert_id", "outbox")
    with op.batch_alter_table("outbox") as outbox:
        outbox.drop_column("digest_key")
        outbox.drop_column("kind")
        outbox.drop_column("alert_id")
