"""Silences a person set with ``newsmon silence add``: patterns for rule, key and subscriber, and an end.

Removing a silence ends it now instead of deleting it, so ``silence list --all`` still shows what was
silenced, why and until when.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import silences


@dataclass(frozen=True)
class SilenceRecord:
    id: int
    rule_id: str | None  # shell-style patterns; None matches anything
    key: str | None
    subscriber: str | None
    reason: str
    created_at: datetime
    expires_at: datetime

    def active(self, now: datetime) -> bool:
        return self.expires_at > now


def add_silence(
    db: Database,
    now: datetime,
    expires_at: datetime,
    *,
    rule_id: str | None = None,
    key: str | None = None,
    subscriber: str | None = None,
    reason: str = "",
) -> SilenceRecord:
    """Store a silence in force from ``now`` to ``expires_at``; it must name at least one part."""
    if not (rule_id or key or subscriber):
        raise StorageError("a silence needs a rule, a key or a subscriber: it would silence everything")
    if expires_at <= now:
        raise StorageError("a silence must end in the future")
    values = {
        "rule_id": rule_id,
        "key": key,
        "subscriber": subscriber,
        "reason": reason,
        "created_at": now,
        "expires_at": expires_at,
    }
    with db.write() as conn:
        new_id = conn.execute(sa.insert(silences).values(**values).returning(silences.c.id)).scalar_one()
    return SilenceRecord(int(new_id), rule_id, key, subscriber, reason, now, expires_at)


def list_silences(db: Database, now: datetime, *, include_expired: bool = False) -> list[SilenceRecord]:
    """Silences in force at ``now`` (all of them with ``include_expired``), newest first."""
    query = sa.select(silences).order_by(silences.c.created_at.desc(), silences.c.id.desc())
    if not include_expired:
        query = query.where(silences.c.expires_at > now)
    with db.read() as conn:
        return [_record(row) for row in conn.execute(query)]


def end_silence(db: Database, silence_id: int, now: datetime) -> SilenceRecord:
    """End a silence now (kept for the record); StorageError when there is no such silence."""
    with db.write() as conn:
        row = conn.execute(sa.select(silences).where(silences.c.id == silence_id)).first()
        if row is None:
            raise StorageError(f"no silence #{silence_id}")
        ends = min(row.expires_at, now)
        conn.execute(sa.update(silences).where(silences.c.id == silence_id).values(expires_at=ends))
    return dataclasses.replace(_record(row), expires_at=ends)


def _record(row: sa.Row[Any]) -> SilenceRecord:
    return SilenceRecord(
        row.id, row.rule_id, row.key, row.subscriber, row.reason, row.created_at, row.expires_at
    )
