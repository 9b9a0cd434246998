"""Articles waiting for enrichment and matching, handed out by lease like feeds and outbox rows.

An article stays unprocessed until ``save_processed`` marks it in the same transaction that writes its
matches and alerts; a worker that dies mid-way lets the lease expire and another one takes the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import Article
from monitor.storage.claims import ANONYMOUS, Lease, claim, free
from monitor.storage.database import Database
from monitor.storage.tables import articles, feeds


def claim_unprocessed_articles(
    db: Database, now: datetime, limit: int, lease_s: float, worker: str = ANONYMOUS
) -> list[Article]:
    """Lease up to ``limit`` unprocessed articles, oldest first, to ``worker`` (``storage.claims``)."""
    waiting = (
        sa.select(
            articles,
            feeds.c.name.label("feed_name"),
            feeds.c.url.label("feed_url"),
            feeds.c.tags.label("feed_tags"),
        )
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .where(
            articles.c.processed_at.is_(None),
            free(articles, now),
        )
        .order_by(articles.c.id)
        .limit(limit)
    )
    return [article_from_row(row) for row in claim(db, waiting, articles, Lease(worker, lease_s), now)]


def release_articles(db: Database, ids: Sequence[int], worker: str) -> int:
    """Hand back articles ``worker`` claimed but could not process (the batch failed), so the next claim
    retries them at once rather than after the worker stops; returns rows released."""
    with db.write() as conn:
        result = conn.execute(
            sa.update(articles)
            .where(
                articles.c.id.in_(list(ids)),
                articles.c.claimed_by == worker,
                articles.c.processed_at.is_(None),
            )
            .values(claimed_by=None, claimed_until=None)
        )
    return int(result.rowcount)


def article_from_row(row: sa.Row[Any]) -> Article:
    """An ``Article`` from an articles row joined with ``feed_name``, ``feed_url`` and ``feed_tags``."""
    return Article(
        id=row.id,
        feed_id=row.feed_id,
        feed_name=row.feed_name,
        feed_url=row.feed_url,
        identity=row.identity,
        title=row.title,
        link=row.link,
        guid=row.guid,
        summary=row.summary,
        content=row.content,
        author=row.author,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        date_is_fallback=row.date_is_fallback,
        language=row.language,
        # the entry's own categories, then the feed's configured tags as they are now
        tags=tuple(dict.fromkeys([*row.tags, *row.feed_tags])),
        story_id=row.story_id,
    )


def get_articles(db: Database, article_ids: Sequence[int]) -> dict[int, Article]:
    """Stored articles by id (those that still exist)."""
    if not article_ids:
        return {}
    query = (
        sa.select(
            articles,
            feeds.c.name.label("feed_name"),
            feeds.c.url.label("feed_url"),
            feeds.c.tags.label("feed_tags"),
        )
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .where(articles.c.id.in_(list(article_ids)))
    )
    with db.read() as conn:
        return {row.id: article_from_row(row) for row in conn.execute(query)}
