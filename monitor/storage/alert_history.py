"""One alert per story: what the planner needs to read, and what it writes in transaction 2.

An *alert* is one row per (rule, key, story, subscriber): what that subscriber was told about one piece of
news. Each article of the story that matched the rule and key is one of its *sources*, with what became of
it (the alert, an update, only recorded, silenced …). ``save_alert_events`` writes an article's events with
its matches (``save_processed``): the alert row, the source row, the outbox rows of its notifications and,
for a digest or quiet hours, the held alert. Every insert skips what exists, so a replay adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import AlertRequest
from monitor.storage.database import Database
from monitor.storage.outbox import outbox_row
from monitor.storage.tables import alert_sources, alerts, articles, feeds, held_alerts, matches, outbox

NOTIFIED = "notified"
_NOTIFYING = ("alert", "update")
_STATUS_OF_FIRST = {"alert": NOTIFIED, "update": NOTIFIED, "silenced": "silenced", "inhibited": "inhibited"}


@dataclass(frozen=True)
class AlertRef:
    """The natural key of an alert: what it is about and who was told."""

    rule_id: str
    key: str
    story_id: int
    subscriber: str


@dataclass(frozen=True)
class HeldAlert:
    """A notification kept for a digest or until quiet hours end; ``item`` is its template variables."""

    reason: str  # "digest" or "quiet hours"
    release_at: datetime
    item: Mapping[str, Any]
    hold_key: str  # unique: a replayed decision holds nothing twice


@dataclass(frozen=True)
class AlertEvent:
    """What one article did to one alert. ``outcome``: alert, update, recorded, silenced, inhibited or
    throttled; only alert and update carry ``notifications`` (outbox rows) or a ``held`` alert."""

    ref: AlertRef
    article_id: int
    outcome: str
    note: str = ""
    fact: Mapping[str, Any] = field(default_factory=dict)
    rule_title: str = ""
    severity: str = "medium"
    notifications: Sequence[AlertRequest] = ()
    held: HeldAlert | None = None


@dataclass(frozen=True)
class AlertState:
    """An alert as the planner sees it."""

    id: int
    status: str
    fact: Mapping[str, Any]
    notified_at: datetime | None


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story, for the sources list of an alert."""

    article_id: int
    title: str
    link: str | None
    feed_name: str
    published_at: datetime
    date_is_fallback: bool


def find_alert(db: Database, ref: AlertRef) -> AlertState | None:
    """The stored alert for ``ref``, or None when the subscriber has none for this story, rule and key."""
    query = sa.select(alerts.c.id, alerts.c.status, alerts.c.fact, alerts.c.notified_at).where(
        alerts.c.rule_id == ref.rule_id,
        alerts.c.key == ref.key,
        alerts.c.story_id == ref.story_id,
        alerts.c.subscriber == ref.subscriber,
    )
    with db.read() as conn:
        row = conn.execute(query).first()
    return AlertState(row.id, row.status, row.fact or {}, row.notified_at) if row else None


def last_notified_at(db: Database, rule_id: str, key: str, subscriber: str) -> datetime | None:
    """When this subscriber was last notified about this rule and key, in any story (for realert)."""
    query = sa.select(sa.func.max(alerts.c.notified_at)).where(
        alerts.c.rule_id == rule_id, alerts.c.key == key, alerts.c.subscriber == subscriber
    )
    with db.read() as conn:
        found: datetime | None = conn.execute(query).scalar()
    return found


def story_articles(db: Database, story_id: int, limit: int) -> tuple[list[StoryArticle], int]:
    """The newest ``limit`` articles of a story, oldest first, and how many it has in all.

    An article belongs to the story when its ``story_id`` says so or when it is the story's first article
    (a story is named after its first article's id).
    """
    member = (articles.c.story_id == story_id) | (articles.c.id == story_id)
    query = (
        sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.link,
            feeds.c.name,
            articles.c.published_at,
            articles.c.date_is_fallback,
        )
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .where(member)
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(limit)
    )
    with db.read() as conn:
        rows = conn.execute(query).all()
        total = conn.execute(sa.select(sa.func.count()).select_from(articles).where(member)).scalar() or 0
    found = [StoryArticle(r.id, r.title, r.link, r.name, r.published_at, r.date_is_fallback) for r in rows]
    return found[::-1], int(total)


def recent_matches(
    db: Database, rule_id: str, key: str, since: datetime
) -> list[tuple[Mapping[str, Any], datetime]]:
    """(captures, stored at) of the rule's matches for ``key`` since ``since``, newest first (inhibition)."""
    query = (
        sa.select(matches.c.captures, matches.c.created_at)
        .where(matches.c.rule_id == rule_id, matches.c.key == key, matches.c.created_at >= since)
        .order_by(matches.c.created_at.desc())
    )
    with db.read() as conn:
        return [(row.captures or {}, row.created_at) for row in conn.execute(query)]


def save_alert_events(db: Database, conn: sa.Connection, now: datetime, events: Sequence[AlertEvent]) -> int:
    """Write ``events`` on ``conn`` (inside transaction 2), in order; returns the outbox rows created."""
    created = 0
    for event in events:
        alert_id = _alert_id(db, conn, now, event)
        if alert_id is None:
            continue
        conn.execute(
            db.insert(alert_sources)
            .values(
                alert_id=alert_id,
                article_id=event.article_id,
                outcome=event.outcome,
                note=event.note,
                fact=dict(event.fact),
                recorded_at=now,
            )
            .on_conflict_do_nothing(index_elements=[alert_sources.c.alert_id, alert_sources.c.article_id])
        )
        created += _save_notifications(db, conn, now, alert_id, event)
        if event.held is not None:
            _save_hold(db, conn, now, alert_id, event)
    return created


def _alert_id(db: Database, conn: sa.Connection, now: datetime, event: AlertEvent) -> int | None:
    """The alert's id, creating the alert for a first event and recording a notification on it."""
    ref, notifies = event.ref, event.outcome in _NOTIFYING
    where = (
        (alerts.c.rule_id == ref.rule_id)
        & (alerts.c.key == ref.key)
        & (alerts.c.story_id == ref.story_id)
        & (alerts.c.subscriber == ref.subscriber)
    )
    status = _STATUS_OF_FIRST.get(event.outcome, "throttled")
    if event.outcome != "recorded":
        insert = db.insert(alerts).values(
            rule_id=ref.rule_id,
            key=ref.key,
            story_id=ref.story_id,
            subscriber=ref.subscriber,
            article_id=event.article_id,
            rule_title=event.rule_title,
            severity=event.severity,
            status=status,
            fact=dict(event.fact),
            created_at=now,
            updated_at=now,
            notified_at=now if notifies else None,
        )
        conn.execute(insert.on_conflict_do_nothing())
    changes: dict[str, Any] = {"updated_at": now}
    if notifies:
        changes.update(status=NOTIFIED, fact=dict(event.fact), notified_at=now)
    found = conn.execute(sa.update(alerts).where(where).values(**changes).returning(alerts.c.id)).scalar()
    return int(found) if found is not None else None


def _save_notifications(
    db: Database, conn: sa.Connection, now: datetime, alert_id: int, event: AlertEvent
) -> int:
    if not event.notifications:
        return 0
    rows = [
        outbox_row(request, now, alert_id=alert_id, kind=event.outcome) for request in event.notifications
    ]
    stmt = db.insert(outbox).on_conflict_do_nothing(index_elements=[outbox.c.dedupe_key])
    return len(conn.execute(stmt.returning(outbox.c.id), rows).all())


def _save_hold(db: Database, conn: sa.Connection, now: datetime, alert_id: int, event: AlertEvent) -> None:
    held = event.held
    assert held is not None
    conn.execute(
        db.insert(held_alerts)
        .values(
            alert_id=alert_id,
            article_id=event.article_id,
            subscriber=event.ref.subscriber,
            reason=held.reason,
            release_at=held.release_at,
            item=dict(held.item),
            hold_key=held.hold_key,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[held_alerts.c.hold_key])
    )
