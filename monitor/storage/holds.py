"""Held alerts — kept for a subscriber's digest or until their quiet hours end — and their release.

The planner writes held alerts in transaction 2 (``alert_history.save_alert_events``). The digest step
reads the due ones per subscriber, renders one message, and ``release_holds`` marks them released and
writes that message's outbox rows in one transaction. Releasing is optimistic: if another daemon
released any of the same rows first, nothing is written and the call returns 0, so a digest goes out once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import AlertRequest
from monitor.storage.database import Database
from monitor.storage.outbox import outbox_row
from monitor.storage.tables import held_alerts, outbox


@dataclass(frozen=True)
class HeldRecord:
    id: int
    alert_id: int
    article_id: int
    subscriber: str
    reason: str
    release_at: datetime
    item: Mapping[str, Any]
    created_at: datetime


class _AlreadyReleased(Exception):
    """Rolls back a release that lost the race with another daemon."""


def due_holds(db: Database, now: datetime) -> dict[str, list[HeldRecord]]:
    """Unreleased held alerts due at ``now``, per subscriber, oldest first."""
    query = (
        sa.select(held_alerts)
        .where(held_alerts.c.released_at.is_(None), held_alerts.c.release_at <= now)
        .order_by(held_alerts.c.created_at, held_alerts.c.id)
    )
    due: dict[str, list[HeldRecord]] = {}
    with db.read() as conn:
        for row in conn.execute(query):
            record = HeldRecord(
                row.id,
                row.alert_id,
                row.article_id,
                row.subscriber,
                row.reason,
                row.release_at,
                row.item or {},
                row.created_at,
            )
            due.setdefault(record.subscriber, []).append(record)
    return due


def release_holds(
    db: Database,
    now: datetime,
    hold_ids: Sequence[int],
    digest_key: str,
    notifications: Sequence[AlertRequest],
) -> int:
    """Mark ``hold_ids`` released by the digest ``digest_key`` and queue its notifications, together.

    Returns the outbox rows created; 0 when some hold was already released (another daemon sent it).
    """
    try:
        with db.write() as conn:
            released = conn.execute(
                sa.update(held_alerts)
                .where(held_alerts.c.id.in_(hold_ids), held_alerts.c.released_at.is_(None))
                .values(released_at=now, digest_key=digest_key)
            )
            if released.rowcount != len(set(hold_ids)):
                raise _AlreadyReleased
            if not notifications:
                return 0
            rows = [
                outbox_row(request, now, kind="digest", digest_key=digest_key) for request in notifications
            ]
            stmt = db.insert(outbox).on_conflict_do_nothing(index_elements=[outbox.c.dedupe_key])
            return len(conn.execute(stmt.returning(outbox.c.id), rows).all())
    except _AlreadyReleased:
        return 0
