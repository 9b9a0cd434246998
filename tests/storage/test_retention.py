"""Retention: old articles lose their texts, enrichment and matches but keep the row that stops their feed
from bringing them back as new; finished outbox rows and the delivery log go after their own retention;
alerts, rule memory and anything still pending stay. On both engines."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from monitor.domain import Enrichment
from monitor.storage import (
    Database,
    ProcessedArticle,
    PruneReport,
    RetentionPolicy,
    claim_unprocessed_articles,
    prune,
    save_poll,
    save_processed,
)
from monitor.storage.tables import (
    alerts,
    articles,
    deliveries,
    enrichments,
    matches,
    outbox,
    rule_state,
    stories,
)

from .helpers import NOW, entry, match, polled, stored_feed

POLICY = RetentionPolicy(articles_days=90, outbox_days=60, deliveries_days=30, batch_size=2)
LATER = NOW + timedelta(days=100)


def processed_feed(db: Database, count: int) -> tuple[int, list[int]]:
    """A feed with ``count`` articles fetched at NOW, processed with an enrichment and a match each, each
    the first article of its own story."""
    feed_id = stored_feed(db)
    ids = save_poll(db, polled(feed_id), [entry(n) for n in range(count)], NOW)
    claim_unprocessed_articles(db, NOW, limit=count, lease_s=60)
    results = [
        ProcessedArticle(
            article_id,
            Enrichment(article_id, story_fingerprint=f"f{article_id}"),
            [match(article_id)],
            story_id=article_id,
            story_is_new=True,
        )
        for article_id in ids
    ]
    save_processed(db, NOW, results, [("sanctions-new", "Acme Oil", {"seen": True})])
    return feed_id, ids


def outbox_row(db: Database, article_id: int, status: str, created_days_ago: int, n: int) -> int:
    created = LATER - timedelta(days=created_days_ago)
    with db.write() as conn:
        return int(
            conn.execute(
                sa.insert(outbox)
                .values(
                    rule_id="sanctions-new", article_id=article_id, subscriber="analysts", channel="x://",
                    dedupe_key=f"k{n}", title="t", body="b", body_format="text", status=status,
                    next_attempt_at=created, created_at=created,
                )
                .returning(outbox.c.id)
            ).scalar_one()
        )  # fmt: skip


def count(db: Database, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one())


def test_old_articles_keep_a_row_but_lose_texts_enrichment_matches_and_stories(db: Database) -> None:
    feed_id, ids = processed_feed(db, 5)
    with db.write() as conn:  # one alert on record: the history of what subscribers were told
        conn.execute(
            sa.insert(alerts).values(
                rule_id="sanctions-new", key="Acme Oil", story_id=ids[0], subscriber="analysts",
                article_id=ids[0], rule_title="New sanctions", severity="high", status="notified", fact={},
                created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip

    report = prune(db, LATER, POLICY)

    assert (report.articles, report.matches, report.stories) == (5, 5, 5)
    assert count(db, articles) == 5  # rows kept
    assert count(db, articles, articles.c.pruned_at == LATER, articles.c.content == "") == 5
    assert count(db, enrichments) == count(db, matches) == count(db, stories) == 0
    assert count(db, alerts) == 1 and count(db, rule_state) == 1
    # the feed still lists the same items: none of them is stored again as new
    assert save_poll(db, polled(feed_id, checked_at=LATER), [entry(n) for n in range(5)], LATER) == []
    # a second prune finds nothing more
    assert prune(db, LATER, POLICY) == PruneReport()


def test_recent_and_unprocessed_articles_are_kept(db: Database) -> None:
    processed_feed(db, 2)
    other = stored_feed(db, 2)
    save_poll(db, polled(other), [entry(n) for n in range(3)], NOW)  # never processed

    assert prune(db, NOW + timedelta(days=89), POLICY).articles == 0
    assert prune(db, LATER, POLICY).articles == 2
    assert count(db, articles, articles.c.pruned_at.is_(None)) == 3


def test_finished_outbox_rows_and_old_deliveries_go_pending_ones_stay(db: Database) -> None:
    _, ids = processed_feed(db, 1)
    sent_old = outbox_row(db, ids[0], "sent", 61, 1)
    outbox_row(db, ids[0], "dead", 70, 2)
    outbox_row(db, ids[0], "sent", 10, 3)
    pending = outbox_row(db, ids[0], "pending", 80, 4)  # still being retried: never pruned
    with db.write() as conn:
        for outbox_id, days in ((sent_old, 62), (pending, 31), (pending, 5)):
            conn.execute(
                sa.insert(deliveries).values(
                    outbox_id=outbox_id,
                    attempted_at=LATER - timedelta(days=days),
                    ok=False,
                    channel_masked="x://",
                )
            )

    report = prune(db, LATER, POLICY)

    assert (report.outbox, report.deliveries) == (2, 1)
    assert sorted(row.status for row in _rows(db, outbox)) == ["pending", "sent"]
    # the pending row's recent attempt is left; its old one and the pruned row's went
    assert [(row.outbox_id, row.attempted_at) for row in _rows(db, deliveries)] == [
        (pending, LATER - timedelta(days=5))
    ]


def test_a_dry_run_counts_the_same_and_changes_nothing(db: Database) -> None:
    _, ids = processed_feed(db, 3)
    outbox_row(db, ids[0], "sent", 61, 1)

    counted = prune(db, LATER, POLICY, dry_run=True)

    assert (counted.articles, counted.matches, counted.stories, counted.outbox) == (3, 3, 3, 1)
    assert count(db, articles, articles.c.pruned_at.is_(None)) == 3 and count(db, outbox) == 1
    assert prune(db, LATER, POLICY) == counted


def test_zero_days_keeps_everything(db: Database) -> None:
    _, ids = processed_feed(db, 2)
    outbox_row(db, ids[0], "sent", 400, 1)
    assert prune(db, NOW + timedelta(days=1000), RetentionPolicy(0, 0, 0)) == PruneReport()


def _rows(db: Database, table: sa.Table) -> list[sa.Row[object]]:
    with db.read() as conn:
        return list(conn.execute(sa.select(table)))
