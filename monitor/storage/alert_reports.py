"""Reads for people about alerts: ``newsmon alerts list`` (one line per story alert), ``alerts show`` (the
alert, its story's sources, its notifications and every delivery attempt), and ``alerts resend``.

A notification reaches its alert directly (``outbox.alert_id``) or, for a digest, through the held alerts
it released (``held_alerts.digest_key = outbox.digest_key``). Channel URLs leave storage only inside
``NotificationRow.channel`` is a label without secrets (the outbox stores no URL since 0005).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import alert_sources, alerts, articles, deliveries, feeds, held_alerts, outbox

_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AlertSummary:
    """One alert: a story, rule and key for one subscriber, with where its notifications stand."""

    id: int
    rule_id: str
    rule_title: str
    severity: str
    key: str
    subscriber: str
    story_id: int
    article_id: int  # the article that opened it
    article_title: str | None  # None once retention removed the article
    status: str  # "notified", "silenced", "inhibited" or "throttled"
    delivery: str  # "sent", "pending", "retrying", "held", "dead", or "" when nothing was to be sent
    fact: Mapping[str, Any]
    sources: int  # articles recorded against it
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SourceRow:
    """An article of the alert's story; ``outcome`` is None for one that did not match this rule and key."""

    article_id: int
    title: str | None
    link: str | None
    feed: str | None
    published_at: datetime | None
    outcome: str | None
    note: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str  # "alert", "update", "digest" or "resend"
    channel: str  # "subscriber #index (scheme)": the URL is never stored
    title: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class AttemptRow:
    outbox_id: int
    attempted_at: datetime
    ok: bool
    error: str | None
    channel_masked: str


@dataclass(frozen=True)
class HoldRow:
    reason: str
    release_at: datetime
    released_at: datetime | None


@dataclass(frozen=True)
class AlertDetail:
    alert: AlertSummary
    sources: tuple[SourceRow, ...]
    notifications: tuple[NotificationRow, ...]
    attempts: tuple[AttemptRow, ...]
    holds: tuple[HoldRow, ...]


def list_story_alerts(
    db: Database,
    *,
    subscriber: str | None = None,
    rule: str | None = None,
    since: datetime | None = None,
    failed: bool = False,
    limit: int = 100,
) -> list[AlertSummary]:
    """Alerts newest first; ``failed`` keeps those with a dead notification or one retrying after an error."""
    query = _summary_query().order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit)
    if subscriber is not None:
        query = query.where(alerts.c.subscriber == subscriber)
    if rule is not None:
        query = query.where(alerts.c.rule_id == rule)
    if since is not None:
        query = query.where(alerts.c.created_at >= since)
    if failed:
        query = query.where(alerts.c.id.in_(_failing_alert_ids()))
    with db.read() as conn:
        rows = conn.execute(query).all()
        states = _delivery_states(conn, [row.id for row in rows])
    return [_summary(row, states.get(row.id, [])) for row in rows]


def alert_detail(db: Database, alert_id: int) -> AlertDetail | None:
    """Everything about one alert, or None when there is no such alert."""
    with db.read() as conn:
        row = conn.execute(_summary_query().where(alerts.c.id == alert_id)).first()
        if row is None:
            return None
        notes = conn.execute(_notifications_of(alert_id)).all()
        attempts = conn.execute(
            sa.select(deliveries)
            .where(deliveries.c.outbox_id.in_([n.id for n in notes]))
            .order_by(deliveries.c.attempted_at, deliveries.c.id)
        ).all()
        holds = conn.execute(
            sa.select(held_alerts).where(held_alerts.c.alert_id == alert_id).order_by(held_alerts.c.id)
        ).all()
        sources = _sources(conn, row.story_id, alert_id)
    return AlertDetail(
        alert=_summary(
            row, [(n.status, n.last_error) for n in notes] + [("held", None)] * _unreleased(holds)
        ),
        sources=sources,
        notifications=tuple(
            NotificationRow(
                n.id, n.kind, n.channel, n.title, n.status, n.attempts, n.created_at, n.sent_at, n.last_error
            )
            for n in notes
        ),
        attempts=tuple(
            AttemptRow(a.outbox_id, a.attempted_at, a.ok, a.error, a.channel_masked) for a in attempts
        ),
        holds=tuple(HoldRow(h.reason, h.release_at, h.released_at) for h in holds),
    )


def resend_alert(db: Database, alert_id: int, now: datetime) -> list[int]:
    """Queue the alert's latest notification to each channel again; returns the new outbox ids.

    StorageError when the alert does not exist or nothing was ever queued for it (silenced, still held).
    """
    with db.write() as conn:
        if conn.execute(sa.select(alerts.c.id).where(alerts.c.id == alert_id)).first() is None:
            raise StorageError(f"no alert #{alert_id}")
        latest: dict[str, sa.Row[Any]] = {}
        for note in conn.execute(_notifications_of(alert_id, full=True)):
            latest[note.channel_fingerprint or note.channel] = note  # by id: the last per channel wins
        if not latest:
            raise StorageError(f"alert #{alert_id} has no notification to resend (silenced or still held)")
        new_ids = []
        for note in latest.values():
            values = {
                name: note._mapping[name]
                for name in (
                    "rule_id",
                    "article_id",
                    "subscriber",
                    "channel",
                    "channel_index",
                    "channel_fingerprint",
                    "title",
                    "body",
                    "body_format",
                )
            }
            values.update(
                dedupe_key=f"resend-{note.id}-{now.isoformat()}",
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                alert_id=alert_id,
                kind="resend",
            )
            new_ids.append(
                int(conn.execute(sa.insert(outbox).values(**values).returning(outbox.c.id)).scalar_one())
            )
    return new_ids


def _summary_query() -> sa.Select[Any]:
    counted = (
        sa.select(sa.func.count())
        .where(alert_sources.c.alert_id == alerts.c.id)
        .scalar_subquery()
        .label("source_count")
    )
    return sa.select(alerts, articles.c.title.label("article_title"), counted).outerjoin(
        articles, articles.c.id == alerts.c.article_id
    )


def _digest_keys(alert_id: Any) -> sa.Select[Any]:
    return sa.select(held_alerts.c.digest_key).where(
        held_alerts.c.alert_id == alert_id, held_alerts.c.digest_key.is_not(None)
    )


def _notifications_of(alert_id: int, full: bool = False) -> sa.Select[Any]:
    mine = (outbox.c.alert_id == alert_id) | outbox.c.digest_key.in_(_digest_keys(alert_id))
    columns = [outbox] if full else [c for c in outbox.c if c.name != "body"]
    return sa.select(*columns).where(mine).order_by(outbox.c.id)


def _failing_alert_ids() -> sa.CompoundSelect[Any]:
    failing = (outbox.c.status == "dead") | (
        (outbox.c.status == "pending") & outbox.c.last_error.is_not(None)
    )
    direct = sa.select(outbox.c.alert_id).where(failing, outbox.c.alert_id.is_not(None))
    via_digest = (
        sa.select(held_alerts.c.alert_id)
        .join(outbox, outbox.c.digest_key == held_alerts.c.digest_key)
        .where(failing)
    )
    return sa.union(direct, via_digest)


def _delivery_states(
    conn: sa.Connection, alert_ids: Sequence[int]
) -> dict[int, list[tuple[str, str | None]]]:
    """(status, last_error) of every notification of each alert; an unreleased hold counts as "held"."""
    states: dict[int, list[tuple[str, str | None]]] = {}
    if not alert_ids:
        return states
    direct = sa.select(outbox.c.alert_id, outbox.c.status, outbox.c.last_error).where(
        outbox.c.alert_id.in_(alert_ids)
    )
    via_digest = (
        sa.select(held_alerts.c.alert_id, outbox.c.status, outbox.c.last_error)
        .join(outbox, outbox.c.digest_key == held_alerts.c.digest_key)
        .where(held_alerts.c.alert_id.in_(alert_ids))
    )
    unreleased = sa.select(held_alerts.c.alert_id, sa.literal("held"), sa.null()).where(
        held_alerts.c.alert_id.in_(alert_ids), held_alerts.c.released_at.is_(None)
    )
    for alert_id, status, error in conn.execute(sa.union_all(direct, via_digest, unreleased)):
        states.setdefault(alert_id, []).append((status, error))
    return states


def _delivery(states: Sequence[tuple[str, str | None]]) -> str:
    statuses = {status for status, _ in states}
    if "dead" in statuses:
        return "dead"
    if any(status == "pending" and error for status, error in states):
        return "retrying"
    for status in ("held", "pending", "sent"):
        if status in statuses:
            return status
    return ""


def _unreleased(holds: Sequence[sa.Row[Any]]) -> int:
    return sum(1 for hold in holds if hold.released_at is None)


def _summary(row: sa.Row[Any], states: Sequence[tuple[str, str | None]]) -> AlertSummary:
    return AlertSummary(
        id=row.id,
        rule_id=row.rule_id,
        rule_title=row.rule_title,
        severity=row.severity,
        key=row.key,
        subscriber=row.subscriber,
        story_id=row.story_id,
        article_id=row.article_id,
        article_title=row.article_title,
        status=row.status,
        delivery=_delivery(states),
        fact=row.fact or {},
        sources=int(row.source_count or 0),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _sources(conn: sa.Connection, story_id: int, alert_id: int) -> tuple[SourceRow, ...]:
    """Every article of the story, with what this alert recorded about it, plus recorded articles retention
    removed since; in publication order."""
    recorded = {
        row.article_id: row
        for row in conn.execute(sa.select(alert_sources).where(alert_sources.c.alert_id == alert_id))
    }
    member = (
        (articles.c.story_id == story_id) | (articles.c.id == story_id) | articles.c.id.in_(list(recorded))
    )
    found = conn.execute(
        sa.select(articles.c.id, articles.c.title, articles.c.link, articles.c.published_at, feeds.c.name)
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .where(member)
    ).all()
    rows = []
    for article in found:
        note = recorded.pop(article.id, None)
        rows.append(
            SourceRow(
                article.id,
                article.title,
                article.link,
                article.name,
                article.published_at,
                note.outcome if note else None,
                note.note if note else "",
                note.recorded_at if note else None,
            )
        )
    for gone in recorded.values():
        rows.append(
            SourceRow(gone.article_id, None, None, None, None, gone.outcome, gone.note, gone.recorded_at)
        )
    return tuple(sorted(rows, key=lambda r: (r.published_at or r.recorded_at or _EARLIEST, r.article_id)))
