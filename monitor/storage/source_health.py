"""What source-health checks read (each feed's polling record and recent publishing rhythm) and write
(open episodes, kept as rule memory under one reserved rule id, and the operators' notices, together).
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
from monitor.storage.rule_state import state_upsert
from monitor.storage.tables import articles, feeds, outbox, rule_state

SOURCE_HEALTH_RULE = "newsmon.source-health"
"""The rule id under which episodes are remembered and operators' notices are queued."""


@dataclass(frozen=True)
class FeedHealth:
    """One feed's record as source-health checks see it; ``published`` newest first."""

    feed_id: int
    name: str
    url: str
    status: str
    error_count: int
    last_error: str | None
    moved_from: str | None
    created_at: datetime
    last_polled_at: datetime | None
    published: tuple[datetime, ...]


def feed_health(db: Database, recent: int) -> list[FeedHealth]:
    """Every feed that is not disabled, with the publication times of its ``recent`` newest articles."""
    ranked = sa.select(
        articles.c.feed_id,
        articles.c.published_at,
        sa.func.row_number()
        .over(partition_by=articles.c.feed_id, order_by=articles.c.published_at.desc())
        .label("rank"),
    ).subquery()
    with db.read() as conn:
        rows = conn.execute(sa.select(feeds).where(feeds.c.status != "disabled").order_by(feeds.c.id)).all()
        times = conn.execute(
            sa.select(ranked.c.feed_id, ranked.c.published_at)
            .where(ranked.c.rank <= recent)
            .order_by(ranked.c.feed_id, ranked.c.published_at.desc())
        ).all()
    published: dict[int, list[datetime]] = {}
    for feed_id, moment in times:
        published.setdefault(feed_id, []).append(moment)
    return [
        FeedHealth(
            feed_id=row.id,
            name=row.name,
            url=row.url,
            status=row.status,
            error_count=row.error_count,
            last_error=row.last_error,
            moved_from=row.moved_from,
            created_at=row.created_at,
            last_polled_at=row.last_polled_at,
            published=tuple(published.get(row.id, ())),
        )
        for row in rows
    ]


def save_health_changes(
    db: Database,
    now: datetime,
    episodes: Mapping[str, Any | None],
    notices: Sequence[AlertRequest],
) -> int:
    """Write episode changes (None deletes) and queue the notices in one transaction; returns rows queued.

    The notices' dedupe keys name the episode, so two daemons deciding the same change queue it once.
    """
    with db.write() as conn:
        for key, state in episodes.items():
            if state is None:
                conn.execute(
                    sa.delete(rule_state).where(
                        rule_state.c.rule_id == SOURCE_HEALTH_RULE, rule_state.c.key == key
                    )
                )
            else:
                conn.execute(state_upsert(db, SOURCE_HEALTH_RULE, key, state, now))
        if not notices:
            return 0
        stmt = db.insert(outbox).on_conflict_do_nothing(index_elements=[outbox.c.dedupe_key])
        return len(conn.execute(stmt.returning(outbox.c.id), [outbox_row(n, now) for n in notices]).all())
