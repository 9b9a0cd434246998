"""One alert per story: what the planner reads (``load_alert_history``, once per batch), and what it
writes in transaction 2.

An *alert* is one row per (rule, key, story, subscriber): what that subscriber was told about one piece of
news. Each article of the story that matched the rule and key is one of its *sources*, with what became of
it (the alert, an update, only recorded, silenced …). ``save_alert_events`` writes an article's events with
its matches (``save_processed``): the alert row, the source row, the outbox rows of its notifications and,
for a digest or quiet hours, the held alert. Every insert skips what exists, so a replay adds nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import AlertEvent, AlertRef
from monitor.storage.database import Database
from monitor.storage.outbox import outbox_row
from monitor.storage.tables import alert_sources, alerts, articles, feeds, held_alerts, matches, outbox

NOTIFIED = "notified"
_NOTIFYING = ("alert", "update")
_STATUS_OF_FIRST = {"alert": NOTIFIED, "update": NOTIFIED, "silenced": "silenced", "inhibited": "inhibited"}


@dataclass(frozen=True)
class AlertState:
    """An alert as the planner sees it."""

    id: int
    status: str
    fact: Mapping[str, Any]
    notified_at: datetime | None

    @property
    def notified(self) -> bool:
        return self.status == NOTIFIED


@dataclass(frozen=True)
class StoryArticle:
    """An article of a story, for the sources list of an alert."""

    article_id: int
    title: str
    link: str | None
    feed_name: str
    published_at: datetime
    date_is_fallback: bool


@dataclass(frozen=True)
class AlertSnapshot:
    """What a processing batch's alert planning reads, loaded in one read before it plans anything.

    ``alerts``: every stored alert of the batch's (rule, key) pairs, in any story and for any subscriber
    (so realert sees the last notification in any story); ``recent``: the stored matches of ``recent_rules``
    for the batch's keys since ``since``, newest first (inhibition); ``stories``: each story's newest
    sources (oldest first) and how many it has in all.
    """

    alerts: dict[AlertRef, AlertState] = field(default_factory=dict)
    recent: dict[tuple[str, str], list[tuple[Mapping[str, Any], datetime]]] = field(default_factory=dict)
    stories: dict[int, tuple[list[StoryArticle], int]] = field(default_factory=dict)


def load_alert_history(
    db: Database,
    pairs: Collection[tuple[str, str]],
    story_ids: Collection[int],
    source_limit: int,
    recent_rules: Collection[str] = (),
    since: datetime | None = None,
) -> AlertSnapshot:
    """One read for a whole batch (see ``AlertSnapshot``): three queries on one connection, whatever the
    number of matches, subscribers and stories, where planning used to ask per match and subscriber."""
    snapshot = AlertSnapshot()
    with db.read() as conn:
        if pairs:
            query = sa.select(
                alerts.c.id,
                alerts.c.rule_id,
                alerts.c.key,
                alerts.c.story_id,
                alerts.c.subscriber,
                alerts.c.status,
                alerts.c.fact,
                alerts.c.notified_at,
            ).where(sa.tuple_(alerts.c.rule_id, alerts.c.key).in_(sorted(pairs)))
            for row in conn.execute(query):
                ref = AlertRef(row.rule_id, row.key, row.story_id, row.subscriber)
                snapshot.alerts[ref] = AlertState(row.id, row.status, row.fact or {}, row.notified_at)
        keys = sorted({key for _, key in pairs})
        if recent_rules and keys and since is not None:
            recent = (
                sa.select(matches.c.rule_id, matches.c.key, matches.c.captures, matches.c.created_at)
                .where(
                    matches.c.rule_id.in_(sorted(recent_rules)),
                    matches.c.key.in_(keys),
                    matches.c.created_at >= since,
                )
                .order_by(matches.c.created_at.desc())
            )
            for match in conn.execute(recent):
                found = snapshot.recent.setdefault((match.rule_id, match.key), [])
                found.append((match.captures or {}, match.created_at))
        if story_ids:
            snapshot.stories.update(_story_sources(conn, sorted(story_ids), source_limit))
    return snapshot


def _story_sources(
    conn: sa.Connection, story_ids: list[int], limit: int
) -> dict[int, tuple[list[StoryArticle], int]]:
    """Each story's newest ``limit`` articles, oldest first, and how many it has in all. An article belongs
    to the story its ``story_id`` names, or — the story's first article — to the story named after it."""
    story = sa.case((articles.c.story_id.in_(story_ids), articles.c.story_id), else_=articles.c.id)
    ranked = (
        sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.link,
            feeds.c.name,
            articles.c.published_at,
            articles.c.date_is_fallback,
            story.label("story"),
            sa.func.row_number()
            .over(partition_by=story, order_by=(articles.c.published_at.desc(), articles.c.id.desc()))
            .label("rank"),
            sa.func.count().over(partition_by=story).label("total"),
        )
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .where(articles.c.story_id.in_(story_ids) | articles.c.id.in_(story_ids))
        .subquery()
    )
    query = sa.select(ranked).where(ranked.c.rank <= limit).order_by(ranked.c.story, ranked.c.rank.desc())
    found: dict[int, tuple[list[StoryArticle], int]] = {}
    for row in conn.execute(query):
        sources, _ = found.get(row.story, ([], 0))
        sources.append(
            StoryArticle(row.id, row.title, row.link, row.name, row.published_at, row.date_is_fallback)
        )
        found[row.story] = (sources, int(row.total))
    return found


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
