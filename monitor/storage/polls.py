"""Transaction 1: what one poll learned about a feed, and the entries it had not seen before.

Feed state and new articles commit together, so a crash can neither lose articles of a poll that advanced
the feed's validators nor store articles twice: ``(feed_id, identity)`` is unique and inserts skip rows
that exist (``ON CONFLICT DO NOTHING`` on both engines).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import Entry, FeedStatus, FeedUpdate
from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import articles, feeds

_LOOKUP_CHUNK = 500  # identities per IN (...) lookup, well under every engine's parameter limit


def save_poll(db: Database, update: FeedUpdate, entries: Sequence[Entry], fetched_at: datetime) -> list[int]:
    """Write the feed's new state and insert the entries not stored yet; returns the new article ids.

    ``None`` in ``update.etag``, ``last_modified`` and ``title`` keeps the stored value (an error poll does
    not forget the validators); the redirect fields are written as given. A confirmed move to a URL that
    another feed already has disables this feed instead of failing the whole poll.
    """
    with db.write() as conn:
        current_url = conn.execute(sa.select(feeds.c.url).where(feeds.c.id == update.feed_id)).scalar()
        if current_url is None:
            raise StorageError(f"feed {update.feed_id} does not exist (removed while it was polled?)")
        conn.execute(
            sa.update(feeds)
            .where(feeds.c.id == update.feed_id)
            .values(**_feed_changes(conn, update, current_url))
        )
        rows = _unseen(conn, update.feed_id, _article_rows(update.feed_id, entries, fetched_at))
        if not rows:
            return []
        insert = db.insert(articles).on_conflict_do_nothing(
            index_elements=[articles.c.feed_id, articles.c.identity]
        )
        return sorted(conn.execute(insert.returning(articles.c.id), rows).scalars())


def known_identities(db: Database, feed_id: int) -> frozenset[str]:
    """The identities of every stored article of a feed: lets the poller skip work on entries it has."""
    with db.read() as conn:
        return frozenset(
            conn.execute(sa.select(articles.c.identity).where(articles.c.feed_id == feed_id)).scalars()
        )


def _unseen(conn: sa.Connection, feed_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop rows already stored before sending them: a typical poll repeats almost every entry, and a
    lookup on the unique index is far cheaper than shipping the texts for ``ON CONFLICT`` to discard."""
    seen: set[str] = set()
    for start in range(0, len(rows), _LOOKUP_CHUNK):
        chunk = [row["identity"] for row in rows[start : start + _LOOKUP_CHUNK]]
        query = sa.select(articles.c.identity).where(
            articles.c.feed_id == feed_id, articles.c.identity.in_(chunk)
        )
        seen.update(conn.execute(query).scalars())
    return [row for row in rows if row["identity"] not in seen]


def _feed_changes(conn: sa.Connection, update: FeedUpdate, current_url: str) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "next_poll_at": update.next_poll_at,
        "claimed_until": None,
        "claimed_by": None,
        "last_polled_at": update.checked_at,
        "error_count": update.error_count,
        "last_error": update.last_error,
        "last_status": update.http_status,
        "status": FeedStatus(update.status).value,
        "redirect_candidate": update.redirect_candidate,
        "redirect_count": update.redirect_count,
    }
    kept = {"etag": update.etag, "last_modified": update.last_modified, "title": update.title}
    changes.update({name: value for name, value in kept.items() if value is not None})
    if update.url is not None and update.url != current_url:
        changes.update(_move(conn, update, current_url))
    return changes


def _move(conn: sa.Connection, update: FeedUpdate, current_url: str) -> dict[str, Any]:
    taken = conn.execute(sa.select(feeds.c.id).where(feeds.c.url == update.url)).scalar()
    if taken is not None:
        return {
            "status": FeedStatus.DISABLED.value,
            "last_error": f"moved permanently to {update.url}, which is already feed {taken}",
            "redirect_candidate": None,
            "redirect_count": 0,
        }
    # New validators belong to the new URL; the old ones were already replaced by this poll's.
    # ``moved_from`` keeps the first URL across moves: the configuration still names that one.
    return {
        "url": update.url,
        "moved_from": sa.func.coalesce(feeds.c.moved_from, current_url),
        "redirect_candidate": None,
        "redirect_count": 0,
    }


def _article_rows(feed_id: int, entries: Sequence[Entry], fetched_at: datetime) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.identity in rows:  # the same item twice in one document: the first one wins
            continue
        rows[entry.identity] = {
            "feed_id": feed_id,
            "identity": entry.identity,
            "guid": entry.guid,
            "link": entry.link,
            "title": entry.title,
            "summary": entry.summary,
            "content": entry.content,
            "author": entry.author,
            "published_at": entry.published_at or fetched_at,
            "updated_at": entry.updated_at,
            "date_is_fallback": entry.date_is_fallback or entry.published_at is None,
            "fetched_at": fetched_at,
            "language": entry.language,
            "tags": list(entry.tags),
        }
    return list(rows.values())
