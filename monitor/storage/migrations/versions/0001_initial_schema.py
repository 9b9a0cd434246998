"""Initial schema: every table of the first data model, also those later work fills.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

Self-contained on purpose (plain SQLAlchemy types, no imports from newsmon): a migration is history and
must keep producing the same schema whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.JSON:
    return sa.JSON(none_as_null=True)


def _fk(column: str, target: str, ondelete: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    _create_feeds()
    _create_stories()
    _create_articles()
    _create_enrichments()
    _create_matches()
    _create_rule_state()
    _create_outbox()
    _create_deliveries()


def _create_feeds() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", _id(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("tags", _json(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("next_poll_at", _time(), nullable=False),
        sa.Column("claimed_until", _time(), nullable=True),
        sa.Column("last_polled_at", _time(), nullable=True),
        sa.Column("error_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="active", nullable=False),
        sa.Column("redirect_candidate", sa.Text(), nullable=True),
        sa.Column("redirect_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("moved_from", sa.Text(), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.CheckConstraint("source IN ('config', 'cli')", name="ck_feeds_source"),
        sa.CheckConstraint("status IN ('active', 'gone', 'disabled')", name="ck_feeds_status"),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
    )
    op.create_index("ix_feeds_status_next_poll_at", "feeds", ["status", "next_poll_at"])


def _create_stories() -> None:
    op.create_table(
        "stories",
        sa.Column("id", _id(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("first_seen_at", _time(), nullable=False),
        sa.Column("sources", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_fingerprint", "stories", ["fingerprint"])


def _create_articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", _id(), nullable=False),
        sa.Column("feed_id", _id(), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("guid", sa.Text(), nullable=True),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("published_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=True),
        sa.Column("date_is_fallback", sa.Boolean(), nullable=False),
        sa.Column("fetched_at", _time(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("tags", _json(), nullable=False),
        sa.Column("story_id", _id(), nullable=True),
        sa.Column("processed_at", _time(), nullable=True),
        sa.Column("claimed_until", _time(), nullable=True),
        _fk("feed_id", "feeds", "CASCADE", "articles"),
        _fk("story_id", "stories", "SET NULL", "articles"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("feed_id", "identity", name="uq_articles_feed_id_identity"),
    )
    op.create_index("ix_articles_fetched_at", "articles", ["fetched_at"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    unprocessed = sa.text("processed_at IS NULL")
    op.create_index(
        "ix_articles_unprocessed", "articles", ["id"], sqlite_where=unprocessed, postgresql_where=unprocessed
    )


def _create_enrichments() -> None:
    op.create_table(
        "enrichments",
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("entities", _json(), nullable=False),
        sa.Column("quantities", _json(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=True),
        _fk("article_id", "articles", "CASCADE", "enrichments"),
        sa.PrimaryKeyConstraint("article_id", name="pk_enrichments"),
    )
    op.create_index("ix_enrichments_fingerprint", "enrichments", ["fingerprint"])


def _create_matches() -> None:
    op.create_table(
        "matches",
        sa.Column("id", _id(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("captures", _json(), nullable=False),
        sa.Column("explanation", _json(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        _fk("article_id", "articles", "CASCADE", "matches"),
        sa.PrimaryKeyConstraint("id", name="pk_matches"),
        sa.UniqueConstraint("rule_id", "article_id", "key", name="uq_matches_rule_id_article_id_key"),
    )
    op.create_index("ix_matches_article_id", "matches", ["article_id"])


def _create_rule_state() -> None:
    op.create_table(
        "rule_state",
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("state", _json(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", "key", name="pk_rule_state"),
    )


def _create_outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _id(), nullable=False),
        sa.Column("match_id", _id(), nullable=True),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("article_id", _id(), nullable=False),
        sa.Column("subscriber", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_format", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", _time(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("sent_at", _time(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name="ck_outbox_status"),
        _fk("match_id", "matches", "SET NULL", "outbox"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])
    op.create_index("ix_outbox_match_id", "outbox", ["match_id"])
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])


def _create_deliveries() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", _id(), nullable=False),
        sa.Column("outbox_id", _id(), nullable=False),
        sa.Column("attempted_at", _time(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("channel_masked", sa.Text(), nullable=False),
        _fk("outbox_id", "outbox", "CASCADE", "deliveries"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
    )
    op.create_index("ix_deliveries_outbox_id", "deliveries", ["outbox_id"])


def downgrade() -> None:
    for table in (
        "deliveries",
        "outbox",
        "rule_state",
        "matches",
        "enrichments",
        "articles",
        "stories",
        "feeds",
    ):
        op.drop_table(table)
