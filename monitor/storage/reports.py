"""Reads for people: the alert history (``newsmon alerts``) and the counts behind ``newsmon status``."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from monitor.domain import FeedStatus
from monitor.storage.database import Database
from monitor.storage.records import QuarantinedArticle, StorageStats
from monitor.storage.tables import articles, feeds, held_alerts, outbox, quarantined_articles


def storage_stats(db: Database, now: datetime) -> StorageStats:
    """Counts of feeds, articles and outbox rows by state, all from one snapshot."""
    active = feeds.c.status == FeedStatus.ACTIVE.value
    due = active & (feeds.c.next_poll_at <= now)
    pending = outbox.c.status.in_(["pending", "sending"])  # not sent yet, whether in hand or not
    with db.read() as conn:
        feed_counts = conn.execute(
            sa.select(
                _count(active),
                _count(~active),
                _count(active & (feeds.c.error_count > 0)),
                _count(due),
                sa.func.max(feeds.c.last_polled_at),
            )
        ).one()
        article_counts = conn.execute(
            sa.select(sa.func.count(), _count(articles.c.processed_at.is_(None))).select_from(articles)
        ).one()
        outbox_counts = conn.execute(
            sa.select(
                _count(pending),
                _count(pending & (outbox.c.next_attempt_at <= now)),
                _count(outbox.c.status == "dead"),
                _count(outbox.c.status == "sent"),
                sa.func.min(sa.case((pending, outbox.c.created_at))),
            )
        ).one()
        held = conn.execute(
            sa.select(sa.func.count()).select_from(held_alerts).where(held_alerts.c.released_at.is_(None))
        ).scalar()
        quarantined = conn.execute(sa.select(sa.func.count()).select_from(quarantined_articles)).scalar()
    return StorageStats(
        feeds_active=feed_counts[0],
        feeds_inactive=feed_counts[1],
        feeds_failing=feed_counts[2],
        feeds_due=feed_counts[3],
        last_poll_at=feed_counts[4],
        articles=article_counts[0],
        articles_unprocessed=article_counts[1],
        outbox_pending=outbox_counts[0],
        outbox_due=outbox_counts[1],
        outbox_dead=outbox_counts[2],
        outbox_sent=outbox_counts[3],
        oldest_pending_alert_at=outbox_counts[4],
        alerts_held=int(held or 0),
        articles_quarantined=int(quarantined or 0),
    )


def list_quarantined(db: Database, limit: int = 10) -> list[QuarantinedArticle]:
    """The newest quarantined articles first, with the rule that went over the budget and why."""
    query = (
        sa.select(quarantined_articles, articles.c.title)
        .join(articles, articles.c.id == quarantined_articles.c.article_id)
        .order_by(quarantined_articles.c.quarantined_at.desc(), quarantined_articles.c.article_id.desc())
        .limit(limit)
    )
    with db.read() as conn:
        return [
            QuarantinedArticle(row.article_id, row.title, row.rule_id, row.reason, row.quarantined_at)
            for row in conn.execute(query)
        ]


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    # SUM over CASE is portable; FILTER (WHERE ...) is not spelled the same everywhere.
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)
