"""Transaction 2: a batch's enrichment, matches, alerts and outbox rows, committed together.

This is the outbox guarantee: once an article is marked processed its alerts are in the outbox, and if the
process dies before the commit nothing is written and the article is claimed again. Every insert skips rows
that exist (matches by ``(rule_id, article_id, key)``, outbox rows by ``dedupe_key``), so a replay after an
expired lease never duplicates an alert.

A match is stored whole: ``captures`` as given, ``explanation`` as ``{"lines", "spans", "rule_title",
"severity", "tags"}``, so history can be shown without running the rule again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import Enrichment, Match
from monitor.errors import StorageError
from monitor.storage.alert_history import AlertEvent, save_alert_events
from monitor.storage.database import Database
from monitor.storage.rule_state import check_unchanged, state_upsert
from monitor.storage.stories import save_story_membership
from monitor.storage.tables import articles, enrichments, quarantined_articles
from monitor.storage.tables import matches as matches_table


@dataclass(frozen=True)
class Quarantine:
    """Why an article's rules were not run to the end: it is set aside, never claimed again."""

    reason: str
    rule_id: str | None = None


@dataclass(frozen=True)
class ProcessedArticle:
    """Everything processing produced for one article: stored together, in one transaction."""

    article_id: int
    enrichment: Enrichment | None = None
    matches: Sequence[Match] = ()
    story_id: int | None = None  # the story enrichment filed the article under
    story_is_new: bool = False  # the article starts that story (story_id == article_id)
    alert_events: Sequence[AlertEvent] = ()  # one alert per story: see alert_history (pipeline.alerts)
    quarantine: Quarantine | None = None  # evaluation went over its time budget: no matches, kept aside


def save_processed(
    db: Database,
    now: datetime,
    results: Sequence[ProcessedArticle],
    state_writes: Sequence[tuple[str, str, Any]] = (),
    state_reads: Mapping[tuple[str, str], Any] | None = None,
) -> int:
    """Store a batch of processed articles in ONE transaction (all or nothing); returns outbox rows created.

    ``state_writes`` are what the rules remember after the batch, as (rule_id, key, JSON state): saved in
    the same commit as the matches they explain, so memory and alerts never disagree after a crash.
    ``state_reads`` are the values the evaluation read: if another worker changed one meanwhile, nothing
    is written and ``StateConflict`` is raised (``rule_state.check_unchanged``).

    Batching is what makes processing fast on SQLite (one fsync per batch, not per article); the
    guarantee is unchanged: an article is marked processed in the same commit as its matches and alerts.
    """
    created = 0
    with db.write() as conn:
        check_unchanged(db, conn, state_reads or {})  # StateConflict: rolled back, evaluate again
        for result in results:
            if result.enrichment is not None:
                _save_enrichment(db, conn, result.enrichment)
            if result.story_id is not None:
                signature = result.enrichment.story_fingerprint if result.enrichment else None
                save_story_membership(
                    conn, result.article_id, result.story_id, result.story_is_new, signature, now
                )
        _save_matches(db, conn, now, results)
        for result in results:
            created += save_alert_events(db, conn, now, result.alert_events)
        for rule_id, key, state in state_writes:
            conn.execute(state_upsert(db, rule_id, key, state, now))
        _save_quarantines(db, conn, now, results)
        _mark_processed(conn, [result.article_id for result in results], now)
    return created


def _save_quarantines(
    db: Database, conn: sa.Connection, now: datetime, results: Sequence[ProcessedArticle]
) -> None:
    rows = [
        {
            "article_id": result.article_id,
            "rule_id": result.quarantine.rule_id,
            "reason": result.quarantine.reason,
            "quarantined_at": now,
        }
        for result in results
        if result.quarantine is not None
    ]
    if rows:
        stmt = db.insert(quarantined_articles).on_conflict_do_nothing(
            index_elements=[quarantined_articles.c.article_id]
        )
        conn.execute(stmt, rows)


def _mark_processed(conn: sa.Connection, article_ids: list[int], now: datetime) -> None:
    if not article_ids:
        return
    marked = conn.execute(
        sa.update(articles)
        .where(articles.c.id.in_(article_ids))
        .values(
            processed_at=sa.func.coalesce(articles.c.processed_at, now), claimed_until=None, claimed_by=None
        )
    )
    if marked.rowcount != len(set(article_ids)):
        missing = sorted(
            set(article_ids)
            - set(conn.execute(sa.select(articles.c.id).where(articles.c.id.in_(article_ids))).scalars())
        )
        names = ", ".join(str(i) for i in missing)
        raise StorageError(f"article {names} does not exist (removed while it was processed?)")


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
    db: Database, conn: sa.Connection, now: datetime, results: Sequence[ProcessedArticle]
) -> None:
    """Insert the batch's matches in one statement (a replay's copies are skipped)."""
    rows = [_match_row(match, now) for result in results for match in result.matches]
    if rows:
        stmt = db.insert(matches_table).on_conflict_do_nothing(
            index_elements=[matches_table.c.rule_id, matches_table.c.article_id, matches_table.c.key]
        )
        conn.execute(stmt, rows)


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
