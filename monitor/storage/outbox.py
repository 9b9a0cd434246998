"""Transaction 3: outbox rows handed to senders, one send recorded the moment it ends; no secret stored.

A row's life: ``pending`` → claimed (``sending``, with the worker's id and a lease the worker renews while
the send is in hand) → ``sent``, back to ``pending`` with a retry time, or ``dead``; an operator may
``cancel`` a row that is not sent. The rule for a row left ``sending`` by a worker that died (its lease ran
out): it is claimed again and sent again with the same idempotency key, and ``recoveries`` counts it —
the one case where a channel that cannot deduplicate may receive an alert twice.

The channel URL is never written here (it carries passwords and tokens): a row names the subscriber, the
position of the channel in its channel list, a label without secrets and a fingerprint of the URL without
password or query; the delivery step resolves the URL from the configuration in force when it sends.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from monitor.domain import AlertRequest, DeliveryResult, OutboxItem
from monitor.errors import StorageError
from monitor.storage.claims import ANONYMOUS, Lease, claim, free
from monitor.storage.database import Database
from monitor.storage.tables import alert_sources, alerts, articles, deliveries, outbox

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"
CANCELLED = "cancelled"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def claim_due_outbox(
    db: Database, now: datetime, limit: int, lease_s: float, worker: str = ANONYMOUS
) -> list[OutboxItem]:
    """Take up to ``limit`` rows due at ``now`` (oldest due first) for ``worker``: they become ``sending``.
    Rows a dead worker left ``sending`` (lease run out) are taken again, counted in ``recoveries``."""
    due = (
        sa.select(outbox)
        .where(
            sa.or_(
                (outbox.c.status == PENDING) & (outbox.c.next_attempt_at <= now) & free(outbox, now),
                (outbox.c.status == SENDING) & (outbox.c.claimed_until < now),
            )
        )
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(limit)
    )
    recovered = sa.case((outbox.c.status == SENDING, outbox.c.recoveries + 1), else_=outbox.c.recoveries)
    rows = claim(db, due, outbox, Lease(worker, lease_s), now, status=SENDING, recoveries=recovered)
    about = _what_they_are_about(db, rows)
    return [_item(row, **about.get(row.id, {})) for row in rows]


def _what_they_are_about(db: Database, rows: Sequence[sa.Row[Any]]) -> dict[int, dict[str, Any]]:
    """outbox id → the key, severity and story of its alert, the article's link and what that article
    reported (its state or figure), in one read for the whole claim."""
    wanted = [row.id for row in rows if row.alert_id is not None]
    if not wanted:
        return {}
    source = (alert_sources.c.alert_id == outbox.c.alert_id) & (
        alert_sources.c.article_id == outbox.c.article_id
    )
    query = (
        sa.select(
            outbox.c.id,
            alerts.c.key,
            alerts.c.severity,
            alerts.c.story_id,
            articles.c.link,
            alert_sources.c.fact,
        )
        .join(alerts, alerts.c.id == outbox.c.alert_id)
        .outerjoin(articles, articles.c.id == outbox.c.article_id)
        .outerjoin(alert_sources, source)
        .where(outbox.c.id.in_(wanted))
    )
    with db.read() as conn:
        return {
            row.id: {
                "key": row.key,
                "severity": row.severity,
                "story_id": row.story_id,
                "link": row.link or "",
                "fact": row.fact or {},
            }
            for row in conn.execute(query)
        }


def _item(row: sa.Row[Any], **about: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        subscriber=row.subscriber,
        channel=row.channel,
        title=row.title,
        body=row.body,
        body_format=row.body_format,
        attempts=row.attempts,
        created_at=row.created_at,
        dedupe_key=row.dedupe_key,
        channel_index=row.channel_index,
        channel_fingerprint=row.channel_fingerprint,
        recovered=row.status == SENDING,
        rule_id=row.rule_id,
        article_id=row.article_id,
        alert_id=row.alert_id,
        **about,
    )


def record_delivery(
    db: Database,
    result: DeliveryResult,
    channel_label: str,
    next_attempt_at: datetime | None,
    dead: bool,
    worker: str | None = None,
) -> bool:
    """Record one attempt, at once: success → sent; failure → pending again at ``next_attempt_at``, or dead.

    ``attempts`` counts every attempt. A success is always recorded (the alert went out, whoever holds
    the row now); a failure only while ``worker`` still holds the row (None: whoever), so a worker that
    lost its lease cannot reschedule a row another one is sending. Returns whether the row changed.
    """
    if not result.ok and not dead and next_attempt_at is None:
        raise ValueError("a failed delivery that is not dead needs next_attempt_at")
    row = outbox.c.id == result.outbox_id
    released = {"claimed_by": None, "claimed_until": None}
    if result.ok:
        changes = {"status": SENT, "sent_at": result.attempted_at, "last_error": None, **released}
        row = row & (outbox.c.status != SENT)
    else:
        changes = {"last_error": result.error, **released}
        changes |= {"status": DEAD} if dead else {"status": PENDING, "next_attempt_at": next_attempt_at}
        row = row & outbox.c.status.in_([PENDING, SENDING])
        if worker is not None:
            row = row & (outbox.c.claimed_by == worker)
    with db.write() as conn:
        exists = conn.execute(sa.select(outbox.c.id).where(outbox.c.id == result.outbox_id)).scalar()
        if exists is None:
            raise StorageError(f"outbox row {result.outbox_id} does not exist")
        changed = conn.execute(sa.update(outbox).where(row).values(attempts=outbox.c.attempts + 1, **changes))
        conn.execute(
            sa.insert(deliveries).values(
                outbox_id=result.outbox_id,
                attempted_at=result.attempted_at,
                ok=result.ok,
                error=result.error,
                channel_masked=channel_label,
            )
        )
    return changed.rowcount > 0


def cancel_outbox(db: Database, ids: Sequence[int], reason: str) -> int:
    """Cancel rows not sent yet (pending, sending, dead); returns how many. A send already under way
    may still complete: its success is recorded over the cancellation."""
    with db.write() as conn:
        result = conn.execute(
            sa.update(outbox)
            .where(outbox.c.id.in_(list(ids)), outbox.c.status.in_([PENDING, SENDING, DEAD]))
            .values(status=CANCELLED, last_error=reason, claimed_by=None, claimed_until=None)
        )
    return result.rowcount


def purge_outbox(db: Database, *, failed: bool = False, subscriber: str | None = None) -> int:
    """Delete dead rows (``failed``) and/or every unsent row of ``subscriber``; returns how many."""
    if not failed and subscriber is None:
        raise ValueError("purge needs failed=True or a subscriber")
    conditions: list[sa.ColumnElement[bool]] = []
    if failed:
        conditions.append(outbox.c.status.in_([DEAD, CANCELLED]))
    if subscriber is not None:
        unsent = outbox.c.status.in_([PENDING, DEAD, CANCELLED])
        conditions.append((outbox.c.subscriber == subscriber) & unsent)
    condition = sa.or_(*conditions)
    with db.write() as conn:
        return conn.execute(sa.delete(outbox).where(condition)).rowcount


def channel_fingerprint(url: str) -> str:
    """A hash of the URL's scheme, user, host, port and path: no password, no query (tokens live there).
    A fixed password keeps it; another address changes it. Hex, 16 digits, not reversible to a secret."""
    found = _SCHEME.match(url)
    if found is None:
        return hashlib.sha256(b"?").hexdigest()[:16]
    parts = urlsplit(url)
    try:
        port = str(parts.port or "")
    except ValueError:
        port = ""
    identity = "\x1f".join(
        [found.group(1).lower(), parts.username or "", (parts.hostname or "").lower(), port, parts.path]
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def channel_label(subscriber: str, index: int | None, url: str) -> str:
    """How a row names its channel to people: subscriber, position and scheme, nothing secret."""
    found = _SCHEME.match(url)
    scheme = found.group(1).lower() if found else "?"
    return f"{subscriber} #{'?' if index is None else index} ({scheme})"


def outbox_row(request: AlertRequest, now: datetime, **extra: Any) -> dict[str, Any]:
    """A new, due outbox row for ``request``; ``extra`` sets the link columns (alert_id, kind, digest_key).
    The channel URL becomes its label, index and fingerprint: it is not stored."""
    return {
        "rule_id": request.rule_id,
        "article_id": request.article_id,
        "subscriber": request.subscriber,
        "channel": channel_label(request.subscriber, request.channel_index, request.channel),
        "channel_index": request.channel_index,
        "channel_fingerprint": channel_fingerprint(request.channel),
        "dedupe_key": request.dedupe_key,
        "title": request.title,
        "body": request.body,
        "body_format": request.body_format,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        **extra,
    }
