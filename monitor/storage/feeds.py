"""Feeds: the configured and CLI-added sources, and the claim that hands due ones to pollers.

Configured feeds are upserted at start and on reload, matched by URL or by the URL they had before a
confirmed move (``moved_from``): a moved feed stays moved, and its options go with it. A configured feed
that disappears from the configuration is *disabled* (not deleted: its articles and alert history stay);
it comes back active when it reappears. Feeds added with the CLI are never touched by a configuration sync.
Several daemons may sync at once on one database: inserts skip a URL another one inserted first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from monitor.domain import ClaimedFeed, FeedSource, FeedStatus
from monitor.storage.claims import ANONYMOUS, Lease, claim, free
from monitor.storage.database import Database
from monitor.storage.records import FeedRecord
from monitor.storage.tables import feeds as feeds_table

SOURCE_CONFIG = "config"
SOURCE_CLI = "cli"


def sync_configured_feeds(db: Database, feeds: Sequence[FeedSource], now: datetime) -> None:
    """Make the stored configured feeds match the configuration: new ones are due ``now``."""
    wanted = {feed.url: feed for feed in feeds}
    with db.write() as conn:
        rows = list(conn.execute(sa.select(feeds_table)))
        by_url = {row.url: row for row in rows}
        # a configured feed that moved is stored under its new URL, the configuration's in moved_from
        moved = {row.moved_from: row for row in rows if row.moved_from and row.source == SOURCE_CONFIG}
        matched = {url: moved.get(url) or by_url.get(url) for url in wanted}
        new = [_new_row(feed, now, SOURCE_CONFIG) for url, feed in wanted.items() if matched[url] is None]
        if new:
            # another daemon starting at the same moment may insert the same URL first: keep its row
            conn.execute(db.insert(feeds_table).on_conflict_do_nothing(index_elements=["url"]), new)
        changed = [_config_changes(row, wanted[url], now) for url, row in matched.items() if row is not None]
        if changed:
            conn.execute(_UPDATE_BY_ID, changed)
        kept = {row.id for row in matched.values() if row is not None}
        dropped = [
            row.id
            for row in rows
            if row.id not in kept and row.source == SOURCE_CONFIG and row.status == FeedStatus.ACTIVE
        ]
        if dropped:
            conn.execute(
                sa.update(feeds_table)
                .where(feeds_table.c.id.in_(dropped))
                .values(status=FeedStatus.DISABLED.value)
            )


def add_feed(db: Database, feed: FeedSource, now: datetime) -> FeedRecord:
    """Add a feed from the CLI, due ``now``; re-adding a known URL updates it and reactivates it.

    The CLI owns the feed from then on (``source`` "cli"): a configuration sync leaves it alone. The caller
    refuses feeds the configuration lists, so a person edits those in one place only."""
    stmt = db.insert(feeds_table).values(_new_row(feed, now, SOURCE_CLI))
    stmt = stmt.on_conflict_do_update(
        index_elements=[feeds_table.c.url],
        set_={
            "name": stmt.excluded.name,
            "interval_s": stmt.excluded.interval_s,
            "tags": stmt.excluded.tags,
            "status": FeedStatus.ACTIVE.value,
            "error_count": 0,
            "last_error": None,
            "next_poll_at": stmt.excluded.next_poll_at,
            "source": SOURCE_CLI,
            "fetch_full_text": stmt.excluded.fetch_full_text,
        },
    )
    with db.write() as conn:
        row = conn.execute(stmt.returning(*feeds_table.c)).one()
    return _record(row)


def remove_feed(db: Database, url: str) -> bool:
    """Stop polling a feed: it is disabled, never deleted, so its articles, matches and alerts stay, and
    adding it again later does not store its entries a second time. False when no feed has that URL."""
    with db.write() as conn:
        done = conn.execute(
            sa.update(feeds_table)
            .where(feeds_table.c.url == url)
            .values(status=FeedStatus.DISABLED.value, claimed_until=None)
        )
        return done.rowcount > 0


def list_feeds(db: Database) -> list[FeedRecord]:
    with db.read() as conn:
        return [
            _record(row)
            for row in conn.execute(sa.select(feeds_table).order_by(feeds_table.c.name, feeds_table.c.id))
        ]


def get_feed(db: Database, url: str) -> FeedRecord | None:
    with db.read() as conn:
        row = conn.execute(sa.select(feeds_table).where(feeds_table.c.url == url)).one_or_none()
    return None if row is None else _record(row)


def claim_due_feeds(
    db: Database,
    now: datetime,
    limit: int,
    lease_s: float,
    due_by: datetime | None = None,
    polled_before: datetime | None = None,
    worker: str = ANONYMOUS,
) -> list[ClaimedFeed]:
    """Lease up to ``limit`` due feeds, most overdue first, to ``worker`` (``storage.claims``).

    ``due_by`` (default ``now``) claims feeds due up to that moment: a far-future value polls every
    active feed now (``newsmon run --once --all``). ``polled_before`` skips feeds polled at or after that
    moment, so such a run, batch after batch, never claims a feed it has just polled.

    A leased feed is not handed out again until ``save_poll`` clears the lease or it expires (the worker
    died), so N workers on N hosts poll each feed once per interval.
    """
    due = (
        sa.select(feeds_table)
        .where(
            feeds_table.c.status == FeedStatus.ACTIVE.value,
            feeds_table.c.next_poll_at <= (due_by or now),
            free(feeds_table, now),
            sa.true()
            if polled_before is None
            else sa.or_(feeds_table.c.last_polled_at.is_(None), feeds_table.c.last_polled_at < polled_before),
        )
        .order_by(feeds_table.c.next_poll_at, feeds_table.c.id)
        .limit(limit)
    )
    rows = claim(db, due, feeds_table, Lease(worker, lease_s), now)
    return [_record(row).as_claimed() for row in rows]


_UPDATE_BY_ID = (
    sa.update(feeds_table)
    .where(feeds_table.c.id == sa.bindparam("b_id"))
    .values(
        name=sa.bindparam("b_name"),
        interval_s=sa.bindparam("b_interval_s"),
        tags=sa.bindparam("b_tags", type_=feeds_table.c.tags.type),
        fetch_full_text=sa.bindparam("b_fetch_full_text"),
        source=SOURCE_CONFIG,
        status=sa.bindparam("b_status"),
        next_poll_at=sa.bindparam("b_next_poll_at", type_=feeds_table.c.next_poll_at.type),
    )
)


def _config_changes(row: sa.Row[Any], feed: FeedSource, now: datetime) -> dict[str, Any]:
    status, next_poll_at = row.status, row.next_poll_at
    if status == FeedStatus.DISABLED.value:  # back in the configuration: poll it again now
        status, next_poll_at = FeedStatus.ACTIVE.value, now
    elif feed.interval_s < row.interval_s:  # a shorter interval takes effect from the last poll
        next_poll_at = min(next_poll_at, (row.last_polled_at or now) + timedelta(seconds=feed.interval_s))
    return {
        "b_id": row.id,
        "b_name": feed.name,
        "b_interval_s": feed.interval_s,
        "b_tags": list(feed.tags),
        "b_fetch_full_text": feed.fetch_full_text,
        "b_status": status,
        "b_next_poll_at": next_poll_at,
    }


def _new_row(feed: FeedSource, now: datetime, source: str) -> dict[str, Any]:
    return {
        "url": feed.url,
        "name": feed.name,
        "interval_s": feed.interval_s,
        "tags": list(feed.tags),
        "fetch_full_text": feed.fetch_full_text,
        "etag": feed.etag,
        "last_modified": feed.last_modified,
        "next_poll_at": now,
        "status": FeedStatus.ACTIVE.value,
        "error_count": 0,
        "redirect_count": 0,
        "created_at": now,
        "source": source,
    }


def _record(row: sa.Row[Any]) -> FeedRecord:
    return FeedRecord(
        id=row.id,
        url=row.url,
        name=row.name,
        title=row.title,
        interval_s=row.interval_s,
        tags=tuple(row.tags),
        status=FeedStatus(row.status),
        source=row.source,
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        last_status=row.last_status,
        error_count=row.error_count,
        last_error=row.last_error,
        etag=row.etag,
        last_modified=row.last_modified,
        redirect_candidate=row.redirect_candidate,
        redirect_count=row.redirect_count,
        moved_from=row.moved_from,
        fetch_full_text=row.fetch_full_text,
        claimed_until=row.claimed_until,
        created_at=row.created_at,
    )
