"""What a rule remembers between articles, one JSON value per ``(rule_id, key)``.

State rules keep the last status of a subject, quantity rules the last figure, new-term rules the terms
seen. The rules package decides the shape; storage only keeps it, last write wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import rule_state

_CHUNK = 400  # keys per lookup, well under every engine's parameter limit


class StateConflict(StorageError):
    """Another worker changed what a rule remembers since this batch read it: evaluate the batch again."""


def get_rule_state(db: Database, rule_id: str, key: str) -> Any | None:
    """The remembered JSON value, or None when the rule has none for this key."""
    with db.read() as conn:
        return conn.execute(
            sa.select(rule_state.c.state).where(rule_state.c.rule_id == rule_id, rule_state.c.key == key)
        ).scalar()


def put_rule_state(db: Database, rule_id: str, key: str, state: Any, now: datetime) -> None:
    """Remember ``state`` (anything JSON can hold, not None) for the rule and key, replacing the old value."""
    with db.write() as conn:
        conn.execute(state_upsert(db, rule_id, key, state, now))


def state_upsert(db: Database, rule_id: str, key: str, state: Any, now: datetime) -> sa.Executable:
    """The statement that remembers ``state``; used alone or inside transaction 2 with the matches."""
    if state is None:
        raise ValueError("rule state cannot be None: use delete_rule_state to forget a key")
    stmt = db.insert(rule_state).values(rule_id=rule_id, key=key, state=state, updated_at=now)
    return stmt.on_conflict_do_update(
        index_elements=[rule_state.c.rule_id, rule_state.c.key],
        set_={"state": stmt.excluded.state, "updated_at": stmt.excluded.updated_at},
    )


def delete_rule_state(db: Database, rule_id: str, key: str) -> bool:
    """Forget what the rule remembered for the key; True when there was something."""
    with db.write() as conn:
        deleted = conn.execute(
            sa.delete(rule_state).where(rule_state.c.rule_id == rule_id, rule_state.c.key == key)
        )
    return deleted.rowcount > 0


def rule_states(db: Database, rule_id: str) -> dict[str, Any]:
    """Everything remembered under ``rule_id``, by key (newsmon's own memories: reloads, feed health)."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(rule_state.c.key, rule_state.c.state).where(rule_state.c.rule_id == rule_id)
        )
        return {row.key: row.state for row in rows}


def check_unchanged(db: Database, conn: sa.Connection, expected: Mapping[tuple[str, str], Any]) -> None:
    """Inside the processing transaction: raise ``StateConflict`` unless every ``(rule_id, key)`` still
    holds the value the batch read (None: nothing), so read-check-write of rule memory is atomic.

    PostgreSQL: an advisory transaction lock per key (in key order, so two workers never deadlock) makes
    a second worker wait here until the first one commits, then see its write. SQLite: the write
    transaction (``BEGIN IMMEDIATE``) already serialises writers. Either way two workers can never both
    fire the same new term or the same state change.
    """
    keys = sorted(expected)
    if not keys:
        return
    if db.dialect == "postgresql":
        lock = sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:rule || chr(31) || :key, 0))")
        for rule_id, key in keys:
            conn.execute(lock, {"rule": rule_id, "key": key})
    current: dict[tuple[str, str], Any] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        query = sa.select(rule_state.c.rule_id, rule_state.c.key, rule_state.c.state).where(
            sa.tuple_(rule_state.c.rule_id, rule_state.c.key).in_(chunk)
        )
        current.update({(row.rule_id, row.key): row.state for row in conn.execute(query)})
    changed = [key for key in keys if current.get(key) != expected[key]]
    if changed:
        rule_id, key = changed[0]
        raise StateConflict(
            f"rule {rule_id} memory for key {key!r} changed under this batch ({len(changed)} key(s))"
        )
