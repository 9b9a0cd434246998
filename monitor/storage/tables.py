"""The schema as SQLAlchemy Core tables: the one description the queries and the migrations check against.

Every table of the first data model exists from the first migration, also the ones later work fills
(stories, rule_state); migration 0002 adds the alerting tables (alerts, alert_sources, held_alerts,
silences) and three outbox columns. A test
compares this metadata with the migrated database on both engines, so an edit here without a migration fails.
Deletes cascade from a feed to its articles and their enrichments and matches; outbox rows outlive them (the
alert history: they point to story alerts, never to a match, since 0006).
"""

from __future__ import annotations

import sqlalchemy as sa

from monitor.storage.types import UTCDateTime, json_column_type

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# BIGINT on PostgreSQL; SQLite needs exactly "INTEGER PRIMARY KEY" for an auto-assigned rowid.
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

FEED_STATUSES = ("active", "gone", "disabled")
FEED_SOURCES = ("config", "cli")
OUTBOX_STATUSES = ("pending", "sending", "sent", "dead", "cancelled")
OUTBOX_KINDS = ("alert", "update", "digest", "resend")
ALERT_STATUSES = ("notified", "silenced", "inhibited", "throttled")
SOURCE_OUTCOMES = ("alert", "update", "recorded", "silenced", "inhibited", "throttled")
HOLD_REASONS = ("digest", "quiet hours")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("interval_s", sa.Integer, nullable=False),
    sa.Column("tags", json_column_type(), nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_poll_at", UTCDateTime, nullable=False),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("claimed_by", sa.Text),  # since 0005: the worker holding the lease (storage.claims)
    sa.Column("last_polled_at", UTCDateTime),
    sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("last_status", sa.Integer),  # HTTP status of the last poll
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    sa.Column("redirect_candidate", sa.Text),
    sa.Column("redirect_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("moved_from", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("source", sa.String(8), nullable=False),
    sa.Column("fetch_full_text", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.CheckConstraint(_one_of("status", FEED_STATUSES), name="status"),
    sa.CheckConstraint(_one_of("source", FEED_SOURCES), name="source"),
    sa.Index(None, "status", "next_poll_at"),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("fingerprint", sa.Text, nullable=False, index=True),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("sources", json_column_type(), nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("feed_id", Id, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("identity", sa.Text, nullable=False),
    sa.Column("guid", sa.Text),
    sa.Column("link", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime),
    sa.Column("date_is_fallback", sa.Boolean, nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False, index=True),
    sa.Column("language", sa.String(35)),
    sa.Column("tags", json_column_type(), nullable=False),
    sa.Column("story_id", Id, sa.ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    sa.Column("processed_at", UTCDateTime),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("claimed_by", sa.Text),  # since 0005
    # retention blanked the texts and dropped enrichment and matches; the row stays so the item is not
    # stored again as new while its feed still lists it
    sa.Column("pruned_at", UTCDateTime),
    sa.UniqueConstraint("feed_id", "identity"),
)
# Only unprocessed rows are indexed: the claim query reads a small index however long the history grows.
sa.Index(
    "ix_articles_unprocessed",
    articles.c.id,
    sqlite_where=articles.c.processed_at.is_(None),
    postgresql_where=articles.c.processed_at.is_(None),
)

enrichments = sa.Table(
    "enrichments",
    metadata,
    sa.Column("article_id", Id, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entities", json_column_type(), nullable=False),
    sa.Column("quantities", json_column_type(), nullable=False),
    sa.Column("fingerprint", sa.Text, index=True),
)

matches = sa.Table(
    "matches",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("rule_id", sa.Text, nullable=False),
    sa.Column("article_id", Id, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("captures", json_column_type(), nullable=False),
    sa.Column("explanation", json_column_type(), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("rule_id", "article_id", "key"),
)

rule_state = sa.Table(
    "rule_state",
    metadata,
    sa.Column("rule_id", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("state", json_column_type(), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("rule_id", sa.Text, nullable=False),
    sa.Column("article_id", Id, nullable=False),  # no FK: the alert history outlives article retention
    sa.Column("subscriber", sa.Text, nullable=False),
    # since 0005 a label without secrets ("subscriber #index (scheme)"): the URL itself is never stored;
    # delivery resolves it from the current config by channel_index, checked by channel_fingerprint
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("dedupe_key", sa.Text, nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("body_format", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    # since 0002: which story alert a notification belongs to (none for a digest or a test), what kind it
    # is, and for a digest the key its held alerts point to
    sa.Column("alert_id", Id, index=True),  # no FK: notifications stay when alert history is pruned
    sa.Column("kind", sa.String(16), nullable=False, server_default="alert"),
    sa.Column("digest_key", sa.Text, index=True),
    # since 0005: which of the subscriber's channels (position in its channel list) and a hash of the URL
    # without password or query (survives a password fix, not a change of address); the lease; how often
    # a row left "sending" by a dead worker was sent again
    sa.Column("channel_index", sa.Integer),
    sa.Column("channel_fingerprint", sa.String(32)),
    sa.Column("claimed_by", sa.Text),
    sa.Column("claimed_until", UTCDateTime),
    sa.Column("recoveries", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint(_one_of("status", OUTBOX_STATUSES), name="status"),
    sa.Index(None, "status", "next_attempt_at"),
)

# Since 0005: every worker (daemon or ``run --once``) that claimed work, and its last heartbeat.
workers = sa.Table(
    "workers",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("heartbeat_at", UTCDateTime, nullable=False),
    sa.Column("stopped_at", UTCDateTime),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("outbox_id", Id, sa.ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("attempted_at", UTCDateTime, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("channel_masked", sa.Text, nullable=False),
)

# Since 0002 (alerting): one row per story, rule, key and subscriber — the alert a subscriber has about
# one piece of news — with every article of the story that matched it and what became of each.
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("rule_id", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("story_id", Id, nullable=False),  # no FK: the alert history outlives story retention
    sa.Column("subscriber", sa.Text, nullable=False),
    sa.Column("article_id", Id, nullable=False),  # the article that opened the alert
    sa.Column("rule_title", sa.Text, nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("fact", json_column_type(), nullable=False),  # what the subscriber was last told
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("notified_at", UTCDateTime),  # the last alert or update planned for the subscriber
    sa.CheckConstraint(_one_of("status", ALERT_STATUSES), name="status"),
    sa.UniqueConstraint("rule_id", "key", "story_id", "subscriber"),
    sa.Index(None, "rule_id", "key", "subscriber", "notified_at"),
)

alert_sources = sa.Table(
    "alert_sources",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("article_id", Id, nullable=False),  # no FK: kept after article retention
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("fact", json_column_type(), nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.CheckConstraint(_one_of("outcome", SOURCE_OUTCOMES), name="outcome"),
    sa.UniqueConstraint("alert_id", "article_id"),
)

held_alerts = sa.Table(
    "held_alerts",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("alert_id", Id, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("article_id", Id, nullable=False),
    sa.Column("subscriber", sa.Text, nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),
    sa.Column("release_at", UTCDateTime, nullable=False),
    sa.Column("item", json_column_type(), nullable=False),  # the alert's template variables
    sa.Column("hold_key", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("released_at", UTCDateTime),
    sa.Column("digest_key", sa.Text, index=True),  # the digest that carried it (outbox.digest_key)
    sa.CheckConstraint(_one_of("reason", HOLD_REASONS), name="reason"),
    sa.Index(None, "released_at", "release_at"),
)

silences = sa.Table(
    "silences",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("rule_id", sa.Text),  # shell-style patterns; None matches anything
    sa.Column("key", sa.Text),
    sa.Column("subscriber", sa.Text),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
)

# Since 0003: articles whose rule evaluation went over ``rules.evaluation_budget_s``. They are marked
# processed in the same commit (so no tick claims them again) and kept here with the reason and the rule.
quarantined_articles = sa.Table(
    "quarantined_articles",
    metadata,
    sa.Column("article_id", Id, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("rule_id", sa.Text),  # the rule that crossed the budget
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("quarantined_at", UTCDateTime, nullable=False, index=True),
)
