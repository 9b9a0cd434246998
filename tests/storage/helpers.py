"""Small builders for storage tests: a fixed clock, feeds, entries, matches and alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from monitor.domain import (
    AlertEvent,
    AlertRef,
    AlertRequest,
    Enrichment,
    Entry,
    FeedSource,
    FeedUpdate,
    Match,
)
from monitor.storage import (
    Database,
    ProcessedArticle,
    add_feed,
    claim_unprocessed_articles,
    save_poll,
    save_processed,
)
from monitor.storage.tables import outbox

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """``NOW`` shifted by some seconds: tests read as a timeline."""
    return NOW + timedelta(seconds=seconds)


def source(n: int = 1, *, interval_s: int = 600, tags: tuple[str, ...] = ()) -> FeedSource:
    return FeedSource(
        url=f"https://news{n}.example/feed.xml", name=f"News {n}", interval_s=interval_s, tags=tags
    )


def entry(n: int, **changes: object) -> Entry:
    values: dict[str, object] = {
        "identity": f"id-{n}",
        "title": f"Headline {n}",
        "link": f"https://news.example/{n}",
        "guid": f"guid-{n}",
        "summary": f"Summary {n}",
        "content": f"Content {n}",
        "published_at": NOW - timedelta(hours=1),
    }
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def polled(feed_id: int, *, checked_at: datetime = NOW, **changes: object) -> FeedUpdate:
    """A successful poll's update: next poll ten minutes later."""
    values: dict[str, object] = {
        "feed_id": feed_id,
        "checked_at": checked_at,
        "next_poll_at": checked_at + timedelta(minutes=10),
        "http_status": 200,
    }
    values.update(changes)
    return FeedUpdate(**values)  # type: ignore[arg-type]


def stored_feed(db: Database, n: int = 1, *, interval_s: int = 600, tags: tuple[str, ...] = ()) -> int:
    """Add a feed (due at ``NOW``) and return its id."""
    feed_id = add_feed(db, source(n, interval_s=interval_s, tags=tags), NOW).id
    assert feed_id is not None
    return feed_id


def stored_articles(db: Database, count: int, *, feed: int = 1) -> list[int]:
    """A feed with ``count`` saved, unprocessed articles; returns their ids."""
    feed_id = stored_feed(db, feed)
    return save_poll(db, polled(feed_id), [entry(n) for n in range(count)], NOW)


def claimed_article(db: Database) -> int:
    """One saved article, claimed for processing; returns its id."""
    stored_articles(db, 1)
    (article,) = claim_unprocessed_articles(db, NOW, limit=1, lease_s=60)
    return article.id


def match(article_id: int, rule_id: str = "sanctions-new", key: str = "Acme Oil") -> Match:
    return Match(
        rule_id=rule_id,
        rule_title="New sanctions",
        article_id=article_id,
        key=key,
        captures={"target": key},
        explanation=("action: 'designated'",),
    )


def alert(article_id: int, subscriber: str = "analysts", rule_id: str = "sanctions-new") -> AlertRequest:
    return AlertRequest(
        rule_id=rule_id,
        article_id=article_id,
        subscriber=subscriber,
        channel="mailto://user:secret@mail.example",
        dedupe_key=f"{rule_id}|Acme Oil|{subscriber}",
        title="Acme Oil sanctioned",
        body="The US Treasury designated Acme Oil.",
    )


def processed(
    db: Database,
    article_id: int,
    now: datetime,
    enrichment: Enrichment | None = None,
    matches: Sequence[Match] = (),
    alerts: Sequence[AlertRequest] = (),
) -> int:
    """What processing stores for one article, the way the daemon's planner hands it over: each request
    is the notification of a new alert of its rule and subscriber, in the story the article opens.
    Returns the outbox rows created."""
    keys = {found.rule_id: found.key for found in matches}
    events = [
        AlertEvent(
            ref=AlertRef(request.rule_id, keys.get(request.rule_id, ""), article_id, request.subscriber),
            article_id=article_id,
            outcome="alert",
            notifications=[request],
        )
        for request in alerts
    ]
    return save_processed(
        db, now, [ProcessedArticle(article_id, enrichment, list(matches), alert_events=events)]
    )


def outbox_rows(db: Database) -> list[Any]:
    """The outbox as stored, oldest first."""
    with db.read() as conn:
        return list(conn.execute(sa.select(outbox).order_by(outbox.c.id)))
