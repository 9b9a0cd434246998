"""Owned, renewed leases: the one way feeds, articles and outbox rows are handed to a worker.

A claim writes ``claimed_by`` (the worker's id) and ``claimed_until`` (the lease end) on each row it takes.
A live worker renews every lease it holds on each heartbeat (``renew_leases``), so a slow poll, a long
enrichment batch or a slow webhook never loses its rows; a worker that dies stops renewing, and its rows
become claimable again once the lease runs out: the grace period (``workers.grace_s``, seconds, not
minutes). A clean stop hands the rows back at once (``release_leases``).

Callers pass ``now`` read just before the claim (never a loop's start time): a lease computed from a stale
clock is already expired when it is written, and another worker takes the same rows.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from monitor.storage.database import Database
from monitor.storage.tables import articles, feeds, outbox, workers

CLAIMED_TABLES = (feeds, articles, outbox)
ANONYMOUS = "anonymous"  # the owner of claims made outside a worker (tests, one-off tools)


@dataclass(frozen=True)
class Lease:
    """Who claims, and for how long a claim lasts without a heartbeat."""

    worker: str
    seconds: float

    @classmethod
    def new(cls, seconds: float) -> Lease:
        """A lease for a new worker id: host, pid and a random part, so restarts never reuse one."""
        return cls(f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}", seconds)

    def until(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.seconds)


def free(table: sa.Table, now: datetime) -> sa.ColumnElement[bool]:
    """Rows nobody holds: never claimed, released, or their owner's lease ran out."""
    return sa.or_(table.c.claimed_until.is_(None), table.c.claimed_until < now)


def claim(
    db: Database,
    query: sa.Select[Any],
    table: sa.Table,
    lease: Lease,
    now: datetime,
    **changes: Any,
) -> list[sa.Row[Any]]:
    """Run ``query`` (it selects free, ready rows of ``table``), lease what it returns to ``lease.worker``
    and apply ``changes`` to those rows, in one transaction; returns the selected rows as they were."""
    with db.write() as conn:
        rows = conn.execute(db.for_claim(query, of=table)).all()
        if rows:
            conn.execute(
                sa.update(table)
                .where(table.c.id.in_([row.id for row in rows]))
                .values(claimed_by=lease.worker, claimed_until=lease.until(now), **changes)
            )
    return list(rows)


def renew_leases(db: Database, lease: Lease, now: datetime, started_at: datetime | None = None) -> int:
    """The heartbeat: extend every lease ``lease.worker`` holds and note it alive; returns rows renewed."""
    renewed = 0
    with db.write() as conn:
        for table in CLAIMED_TABLES:
            result = conn.execute(
                sa.update(table)
                .where(table.c.claimed_by == lease.worker, table.c.claimed_until.is_not(None))
                .values(claimed_until=lease.until(now))
            )
            renewed += result.rowcount
        beat = conn.execute(
            sa.update(workers).where(workers.c.id == lease.worker).values(heartbeat_at=now, stopped_at=None)
        )
        if beat.rowcount == 0:
            conn.execute(
                sa.insert(workers).values(
                    id=lease.worker, started_at=started_at or now, heartbeat_at=now, stopped_at=None
                )
            )
    return renewed


def release_leases(db: Database, lease: Lease, now: datetime) -> int:
    """A clean stop: hand back every row ``lease.worker`` holds (rows mid-send excepted: the stop waits
    for them) and note the worker stopped; returns rows released."""
    released = 0
    with db.write() as conn:
        for table in CLAIMED_TABLES:
            mine = table.c.claimed_by == lease.worker
            if table is outbox:
                mine = mine & (outbox.c.status != "sending")
            result = conn.execute(sa.update(table).where(mine).values(claimed_by=None, claimed_until=None))
            released += result.rowcount
        conn.execute(sa.update(workers).where(workers.c.id == lease.worker).values(stopped_at=now))
    return released


def held_by(db: Database, worker: str) -> dict[str, int]:
    """How many rows of each claimed table ``worker`` holds (for tests and ``status``)."""
    counts: dict[str, int] = {}
    with db.read() as conn:
        for table in CLAIMED_TABLES:
            query = sa.select(sa.func.count()).select_from(table).where(table.c.claimed_by == worker)
            counts[table.name] = int(conn.execute(query).scalar_one())
    return counts
