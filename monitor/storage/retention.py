"""Retention: bounded history without forgetting what was already seen or said.

An article older than the retention keeps its row (feed, identity, guid, link, title, dates) with its texts
blanked and its enrichment and matches deleted: the row is what stops a feed that still lists the item from
storing it again as new. Stories no kept article belongs to go; outbox rows that reached an end (sent or
dead) and delivery-log rows go after their own retention. Alerts, their sources and the rule memory stay:
new-term and state rules read that memory, and ``alerts list`` is the record of what subscribers were told.

Work is done in chunks of ``batch_size`` rows, one short transaction each, so a prune never holds the
database (SQLite's single writer) for long.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from monitor.storage.database import Database
from monitor.storage.tables import articles, deliveries, enrichments, matches, outbox, stories

FINISHED_OUTBOX = ("sent", "dead")


@dataclass(frozen=True)
class RetentionPolicy:
    """Ages in days (0: keep forever) and the chunk size."""

    articles_days: int
    outbox_days: int
    deliveries_days: int
    batch_size: int = 2000


@dataclass
class PruneReport:
    articles: int = 0  # articles whose texts, enrichment and matches were pruned
    matches: int = 0
    stories: int = 0
    outbox: int = 0
    deliveries: int = 0

    def items(self) -> list[tuple[str, int]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def prune(db: Database, now: datetime, policy: RetentionPolicy, *, dry_run: bool = False) -> PruneReport:
    """Prune what ``policy`` says is too old; with ``dry_run`` only count it."""
    report = PruneReport()
    if policy.articles_days:
        cutoff = now - timedelta(days=policy.articles_days)
        report.articles, report.matches = _prune_articles(db, now, cutoff, policy.batch_size, dry_run)
        report.stories = _delete_in_chunks(db, _orphan_stories(cutoff), stories, policy.batch_size, dry_run)
    if policy.outbox_days:
        cutoff = now - timedelta(days=policy.outbox_days)
        finished = sa.select(outbox.c.id).where(
            outbox.c.status.in_(FINISHED_OUTBOX), outbox.c.created_at < cutoff
        )
        report.outbox = _delete_in_chunks(db, finished, outbox, policy.batch_size, dry_run)
    if policy.deliveries_days:
        cutoff = now - timedelta(days=policy.deliveries_days)
        old = sa.select(deliveries.c.id).where(deliveries.c.attempted_at < cutoff)
        report.deliveries = _delete_in_chunks(db, old, deliveries, policy.batch_size, dry_run)
    return report


def _old_articles(cutoff: datetime) -> sa.Select[Any]:
    # only processed articles: one still waiting for the rules is work, not history
    return sa.select(articles.c.id).where(
        articles.c.fetched_at < cutoff,
        articles.c.pruned_at.is_(None),
        articles.c.processed_at.is_not(None),
    )


def _prune_articles(
    db: Database, now: datetime, cutoff: datetime, batch_size: int, dry_run: bool
) -> tuple[int, int]:
    if dry_run:
        with db.read() as conn:
            old = _old_articles(cutoff).subquery()
            count = conn.execute(sa.select(sa.func.count()).select_from(old)).scalar_one()
            found = conn.execute(
                sa.select(sa.func.count()).where(matches.c.article_id.in_(sa.select(old.c.id)))
            ).scalar_one()
        return count, found

    def chunk(conn: sa.Connection, ids: list[int]) -> int:
        conn.execute(sa.delete(enrichments).where(enrichments.c.article_id.in_(ids)))
        gone = conn.execute(sa.delete(matches).where(matches.c.article_id.in_(ids))).rowcount
        conn.execute(
            sa.update(articles).where(articles.c.id.in_(ids)).values(summary="", content="", pruned_at=now)
        )
        return int(gone or 0)

    return _chunked(db, _old_articles(cutoff), batch_size, chunk)


def _orphan_stories(cutoff: datetime) -> sa.Select[Any]:
    """Old stories no kept article belongs to, counting the articles this prune is about to prune (so a dry
    run counts the same)."""
    about_to_go = sa.and_(articles.c.fetched_at < cutoff, articles.c.processed_at.is_not(None))
    kept = sa.select(articles.c.id).where(
        articles.c.story_id == stories.c.id, articles.c.pruned_at.is_(None), ~about_to_go
    )
    return sa.select(stories.c.id).where(stories.c.first_seen_at < cutoff, ~sa.exists(kept))


def _delete_in_chunks(
    db: Database, selection: sa.Select[Any], table: sa.Table, batch_size: int, dry_run: bool
) -> int:
    if dry_run:
        with db.read() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(selection.subquery())).scalar_one()
            )

    def chunk(conn: sa.Connection, ids: list[int]) -> int:
        conn.execute(sa.delete(table).where(table.c.id.in_(ids)))
        return 0

    return _chunked(db, selection, batch_size, chunk)[0]


def _chunked(
    db: Database,
    selection: sa.Select[Any],
    batch_size: int,
    act: Callable[[sa.Connection, list[int]], int],
) -> tuple[int, int]:
    """Apply ``act`` to the selected ids, ``batch_size`` at a time, one transaction each, until none is
    left; returns (ids acted on, the sum of what ``act`` returned)."""
    done = extra = 0
    while True:
        with db.write() as conn:
            ids = list(conn.execute(selection.order_by(None).limit(batch_size)).scalars())
            if ids:
                extra += act(conn, ids)
        done += len(ids)
        if len(ids) < batch_size:
            return done, extra
