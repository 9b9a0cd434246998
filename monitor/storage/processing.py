"""Transaction 2: an article's enrichment, its matches and their outbox rows, committed together.

This is the outbox guarantee: once an article is marked processed its alerts are in the outbox, and if the
process dies before the commit nothing is written and the article is claimed again. Every insert skips rows
that exist (matches by ``(rule_id, article_id, key)``, outbox rows by ``dedupe_key``), so a replay after an
expired lease never duplicates an alert.

A match is stored whole: ``captures`` as given, ``explanation`` as ``{"lines", "spans", "rule_title",
"severity", "tags"}``, so history can be shown without running the rule again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import AlertRequest, Enrichment, Match
from monitor.errors import StorageError
from monitor.storage.database import Database
from monitor.storage.tables import articles, enrichments, outbox
from monitor.storage.tables import matches as matches_table


def save_processing(
    db: Database,
    article_id: int,
    now: datetime,
    enrichment: Enrichment | None,
    matches: Sequence[Match],
    alerts: Sequence[AlertRequest],
) -> int:
    """Store what processing an article produced and mark it processed; returns the outbox rows created.

    Each alert is linked to the match of its rule on this article (the first one, when a rule matched
    under several keys).
    """
    with db.write() as conn:
        if enrichment is not None:
            _save_enrichment(db, conn, enrichment)
        match_ids = _save_matches(db, conn, article_id, now, matches)
        created = _save_alerts(db, conn, now, alerts, match_ids)
        marked = conn.execute(
            sa.update(articles)
            .where(articles.c.id == article_id)
            .values(processed_at=sa.func.coalesce(articles.c.processed_at, now), claimed_until=None)
        )
        if marked.rowcount != 1:
            raise StorageError(f"article {article_id} does not exist (removed while it was processed?)")
    return created


def _save_enrichment(db: Database, conn: sa.Connection, enrichment: Enrichment) -> None:
    values = {
        "entities": [dataclasses.asdict(entity) for entity in enrichment.entities],
        "quantities": [dataclasses.asdict(quantity) for quantity in enrichment.quantities],
        "fingerprint": enrichment.story_fingerprint,
    }
    stmt = db.insert(enrichments).values(article_id=enrichment.article_id, **values)
    latest = {name: stmt.excluded[name] for name in values}  # a re-run's enrichment replaces the old one
    conn.execute(stmt.on_conflict_do_update(index_elements=[enrichments.c.article_id], set_=latest))


def _save_matches(
    db: Database, conn: sa.Connection, article_id: int, now: datetime, found: Sequence[Match]
) -> dict[str, int]:
    if found:
        rows = [_match_row(match, now) for match in found]
        stmt = db.insert(matches_table).on_conflict_do_nothing(
            index_elements=[matches_table.c.rule_id, matches_table.c.article_id, matches_table.c.key]
        )
        conn.execute(stmt, rows)
    stored = conn.execute(
        sa.select(matches_table.c.rule_id, matches_table.c.id)
        .where(matches_table.c.article_id == article_id)
        .order_by(matches_table.c.id)
    )
    ids: dict[str, int] = {}
    for rule_id, match_id in stored:
        ids.setdefault(rule_id, match_id)
    return ids


def _match_row(match: Match, now: datetime) -> dict[str, Any]:
    explanation = {
        "lines": list(match.explanation),
        "spans": [dataclasses.asdict(span) for span in match.spans],
        "rule_title": match.rule_title,
        "severity": match.severity,
        "tags": list(match.tags),
    }
    return {
        "rule_id": match.rule_id,
        "article_id": match.article_id,
        "key": match.key,
        "captures": dict(match.captures),
        "explanation": explanation,
        "created_at": now,
    }


def _save_alerts(
    db: Database,
    conn: sa.Connection,
    now: datetime,
    alerts: Sequence[AlertRequest],
    match_ids: dict[str, int],
) -> int:
    if not alerts:
        return 0
    rows = [
        {
            "match_id": match_ids.get(alert.rule_id),
            "rule_id": alert.rule_id,
            "article_id": alert.article_id,
            "subscriber": alert.subscriber,
            "channel": alert.channel,
            "dedupe_key": alert.dedupe_key,
            "title": alert.title,
            "body": alert.body,
            "body_format": alert.body_format,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for alert in alerts
    ]
    stmt = db.insert(outbox).on_conflict_do_nothing(index_elements=[outbox.c.dedupe_key])
    return len(conn.execute(stmt.returning(outbox.c.id), rows).all())
