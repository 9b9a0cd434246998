"""Transaction 3: outbox rows handed to senders by lease, and what each delivery attempt did.

Claiming pushes ``next_attempt_at`` to the end of the lease instead of marking the row taken: a sender that
dies leaves nothing to clean up, the row simply falls due again. Delivery is at-least-once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from monitor.domain import AlertRequest, DeliveryResult, OutboxItem
from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import deliveries, outbox

PENDING = "pending"
SENT = "sent"
DEAD = "dead"


def claim_due_outbox(db: Database, now: datetime, limit: int, lease_s: float) -> list[OutboxItem]:
    """Lease up to ``limit`` pending rows due at ``now``, oldest due first, for ``lease_s`` seconds."""
    due = (
        sa.select(outbox)
        .where(outbox.c.status == PENDING, outbox.c.next_attempt_at <= now)
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(limit)
    )
    with db.write() as conn:
        rows = conn.execute(db.for_claim(due, of=outbox)).all()
        if rows:
            lease_end = now + timedelta(seconds=lease_s)
            ids = [row.id for row in rows]
            conn.execute(sa.update(outbox).where(outbox.c.id.in_(ids)).values(next_attempt_at=lease_end))
    return [
        OutboxItem(
            id=row.id,
            subscriber=row.subscriber,
            channel=row.channel,
            title=row.title,
            body=row.body,
            body_format=row.body_format,
            attempts=row.attempts,
            created_at=row.created_at,
        )
        for row in rows
    ]


def record_delivery(
    db: Database,
    result: DeliveryResult,
    channel_masked: str,
    next_attempt_at: datetime | None,
    dead: bool,
) -> None:
    """Record one attempt: success → sent; failure → retry at ``next_attempt_at``, or dead.

    ``attempts`` counts every attempt, successful or not. A failure reported after the row was already
    sent (a slow sender whose lease expired) does not bring it back.
    """
    if not result.ok and not dead and next_attempt_at is None:
        raise ValueError("a failed delivery that is not dead needs next_attempt_at")
    row = outbox.c.id == result.outbox_id
    if result.ok:
        changes = {"status": SENT, "sent_at": result.attempted_at, "last_error": None}
    elif dead:
        changes = {"status": DEAD, "last_error": result.error}
        row = row & (outbox.c.status == PENDING)
    else:
        changes = {"next_attempt_at": next_attempt_at, "last_error": result.error}
        row = row & (outbox.c.status == PENDING)
    with db.write() as conn:
        exists = conn.execute(sa.select(outbox.c.id).where(outbox.c.id == result.outbox_id)).scalar()
        if exists is None:
            raise StorageError(f"outbox row {result.outbox_id} does not exist")
        conn.execute(sa.update(outbox).where(row).values(attempts=outbox.c.attempts + 1, **changes))
        conn.execute(
            sa.insert(deliveries).values(
                outbox_id=result.outbox_id,
                attempted_at=result.attempted_at,
                ok=result.ok,
                error=result.error,
                channel_masked=channel_masked,
            )
        )


def outbox_row(request: AlertRequest, now: datetime, **extra: Any) -> dict[str, Any]:
    """A new, due outbox row for ``request``; ``extra`` sets the link columns (alert_id, kind, digest_key)."""
    return {
        "rule_id": request.rule_id,
        "article_id": request.article_id,
        "subscriber": request.subscriber,
        "channel": request.channel,
        "dedupe_key": request.dedupe_key,
        "title": request.title,
        "body": request.body,
        "body_format": request.body_format,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        **extra,
    }
