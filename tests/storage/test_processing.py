"""Transaction 2: enrichment, matches, alerts and outbox rows are written with the processed mark, all or
nothing, and a replay never duplicates an alert."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import pytest
import sqlalchemy as sa

from monitor.domain import Enrichment, EntitySpan, Quantity, Span
from monitor.errors import StorageError
from monitor.storage import Database, claim_unprocessed_articles
from monitor.storage.tables import alerts, enrichments, matches, outbox

from .helpers import NOW, alert, at, claimed_article, match, processed


def test_processing_writes_everything_and_marks_the_article(db: Database) -> None:
    article_id = claimed_article(db)
    enrichment = Enrichment(
        article_id=article_id,
        entities=(EntitySpan("Acme Oil", "ORG", 30, 38, 0, canonical="Acme Oil", watchlist="companies"),),
        quantities=(Quantity("2 million bpd", 2e6, "barrels_per_day", 50, 63, 1, governors=("exports",)),),
        story_fingerprint="f1",
    )
    found = replace(match(article_id), spans=(Span("title", 0, 8, "Acme Oil"),))

    created = processed(
        db, article_id, at(5), enrichment, [found], [alert(article_id), alert(article_id, "desk")]
    )

    assert created == 2
    assert claim_unprocessed_articles(db, at(3600), limit=10, lease_s=60) == []
    stored = _rows(db, enrichments)[0]
    assert stored.entities[0]["canonical"] == "Acme Oil"
    assert stored.quantities[0] == {
        "text": "2 million bpd", "value": 2e6, "unit": "barrels_per_day",
        "start": 50, "end": 63, "sentence": 1, "governors": ["exports"],
    }  # fmt: skip
    assert stored.fingerprint == "f1"
    (stored_match,) = _rows(db, matches)
    assert (stored_match.rule_id, stored_match.key, stored_match.captures) == (
        "sanctions-new",
        "Acme Oil",
        {"target": "Acme Oil"},
    )
    assert stored_match.explanation == {
        "lines": ["action: 'designated'"],
        "spans": [{"field": "title", "start": 0, "end": 8, "text": "Acme Oil"}],
        "rule_title": "New sanctions",
        "severity": "medium",
        "tags": [],
    }
    rows = _rows(db, outbox)
    opened = {row.id: (row.rule_id, row.key, row.story_id, row.subscriber) for row in _rows(db, alerts)}
    assert {(row.subscriber, row.status, row.attempts, opened[row.alert_id]) for row in rows} == {
        ("analysts", "pending", 0, ("sanctions-new", "Acme Oil", article_id, "analysts")),
        ("desk", "pending", 0, ("sanctions-new", "Acme Oil", article_id, "desk")),
    }
    assert {row.next_attempt_at for row in rows} == {at(5)}


def test_the_same_alert_twice_is_one_outbox_row(db: Database) -> None:
    article_id = claimed_article(db)

    assert (
        processed(db, article_id, NOW, None, [match(article_id)], [alert(article_id), alert(article_id)]) == 1
    )
    # a replay of the whole step (another worker after an expired lease) adds nothing either
    assert processed(db, article_id, at(60), None, [match(article_id)], [alert(article_id)]) == 0

    assert len(_rows(db, outbox)) == 1
    assert len(_rows(db, matches)) == 1


def test_a_failing_insert_rolls_back_the_whole_step(db: Database) -> None:
    article_id = claimed_article(db)
    broken = replace(alert(article_id, "desk"), body=cast(str, None))  # NOT NULL: the database refuses it

    with pytest.raises(StorageError, match=r"(?i)null"):
        processed(
            db,
            article_id,
            NOW,
            Enrichment(article_id=article_id, story_fingerprint="f1"),
            [match(article_id)],
            [alert(article_id), broken],
        )

    assert (_rows(db, enrichments), _rows(db, matches), _rows(db, alerts), _rows(db, outbox)) == (
        [],
        [],
        [],
        [],
    )
    assert [a.id for a in claim_unprocessed_articles(db, at(3600), limit=10, lease_s=60)] == [article_id]


def test_reprocessing_replaces_the_enrichment(db: Database) -> None:
    article_id = claimed_article(db)
    processed(db, article_id, NOW, Enrichment(article_id=article_id, story_fingerprint="old"), [], [])

    processed(db, article_id, at(60), Enrichment(article_id=article_id, story_fingerprint="new"), [], [])

    assert [row.fingerprint for row in _rows(db, enrichments)] == ["new"]


def test_processing_an_article_that_is_gone_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StorageError, match="article 999 does not exist"):
        processed(db, 999, NOW, None, [], [])


def _rows(db: Database, table: sa.Table) -> list[sa.Row[object]]:
    with db.read() as conn:
        return list(conn.execute(sa.select(table).order_by(*table.primary_key.columns)))
