"""Transaction 3: outbox rows leased to senders, retried, given up on, or sent; every attempt logged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from monitor.domain import DeliveryResult
from monitor.errors import StorageError
from monitor.storage import (
    Database,
    channel_fingerprint,
    claim_due_outbox,
    record_delivery,
)
from monitor.storage.tables import deliveries

from .helpers import NOW, alert, at, claimed_article, match, outbox_rows, processed

MASKED = "mailto://user:****@mail.example"


def queued(db: Database, *subscribers: str) -> None:
    """One processed article with an alert for each subscriber, queued at ``NOW``."""
    article_id = claimed_article(db)
    alerts = [alert(article_id, subscriber) for subscriber in subscribers]
    processed(db, article_id, NOW, None, [match(article_id)], alerts)


def test_claim_leases_due_rows_and_hands_them_back_when_the_lease_expires(db: Database) -> None:
    queued(db, "analysts", "desk")

    (first,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)
    (second,) = claim_due_outbox(db, NOW, limit=10, lease_s=30)

    assert (first.subscriber, second.subscriber) == ("analysts", "desk")
    assert (first.channel, first.title, first.body_format, first.attempts) == (
        "analysts #? (mailto)",  # a label: the URL and its password are not stored
        "Acme Oil sanctioned",
        "text",
        0,
    )
    assert first.channel_fingerprint == channel_fingerprint("mailto://user:other@mail.example")
    assert first.created_at == NOW and not first.recovered
    assert claim_due_outbox(db, at(29), limit=10, lease_s=30) == []
    again = claim_due_outbox(db, at(31), limit=10, lease_s=30)
    assert [(item.id, item.recovered) for item in again] == [(first.id, True), (second.id, True)]


def test_a_successful_delivery_marks_the_row_sent_for_good(db: Database) -> None:
    queued(db, "analysts")
    (item,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)

    record_delivery(db, DeliveryResult(item.id, ok=True, attempted_at=at(1)), MASKED, None, dead=False)

    (sent,) = outbox_rows(db)
    assert (sent.status, sent.sent_at, sent.attempts, sent.last_error) == ("sent", at(1), 1, None)
    assert claim_due_outbox(db, at(86_400), limit=10, lease_s=30) == []


def test_a_failed_delivery_is_retried_at_the_time_given(db: Database) -> None:
    queued(db, "analysts")
    (item,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)

    failure = DeliveryResult(item.id, ok=False, attempted_at=at(1), error="SMTP 451")
    record_delivery(db, failure, MASKED, next_attempt_at=at(120), dead=False)

    assert claim_due_outbox(db, at(119), limit=10, lease_s=30) == []
    (listed,) = outbox_rows(db)
    assert (listed.status, listed.last_error) == ("pending", "SMTP 451")
    (retry,) = claim_due_outbox(db, at(120), limit=10, lease_s=30)
    assert (retry.id, retry.attempts, retry.recovered) == (item.id, 1, False)


def test_a_dead_row_is_never_claimed_again(db: Database) -> None:
    queued(db, "analysts")
    (item,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)

    record_delivery(db, DeliveryResult(item.id, False, at(1), "401 Unauthorized"), MASKED, None, dead=True)

    assert claim_due_outbox(db, at(86_400), limit=10, lease_s=30) == []
    (dead,) = outbox_rows(db)
    assert (dead.status, dead.attempts, dead.last_error) == ("dead", 1, "401 Unauthorized")


def test_a_late_failure_report_does_not_bring_back_a_sent_row(db: Database) -> None:
    queued(db, "analysts")
    (item,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)
    record_delivery(db, DeliveryResult(item.id, True, at(40)), MASKED, None, dead=False)

    record_delivery(db, DeliveryResult(item.id, False, at(45), "timeout"), MASKED, at(100), dead=False)

    (row,) = outbox_rows(db)
    assert (row.status, row.last_error) == ("sent", None)


def test_every_attempt_is_logged_with_the_masked_channel(db: Database) -> None:
    queued(db, "analysts")
    (item,) = claim_due_outbox(db, NOW, limit=1, lease_s=30)
    record_delivery(db, DeliveryResult(item.id, False, at(1), "timeout"), MASKED, at(60), dead=False)
    record_delivery(db, DeliveryResult(item.id, True, at(61)), MASKED, None, dead=False)

    with db.read() as conn:
        log = conn.execute(sa.select(deliveries).order_by(deliveries.c.id)).all()

    assert [(row.outbox_id, row.attempted_at, row.ok, row.error, row.channel_masked) for row in log] == [
        (item.id, at(1), False, "timeout", MASKED),
        (item.id, at(61), True, None, MASKED),
    ]


def test_a_retry_needs_a_time(db: Database) -> None:
    with pytest.raises(ValueError, match="needs next_attempt_at"):
        record_delivery(db, DeliveryResult(1, False, NOW, "timeout"), MASKED, None, dead=False)


def test_recording_a_delivery_for_an_unknown_row_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StorageError, match="outbox row 77 does not exist"):
        record_delivery(db, DeliveryResult(77, True, NOW), MASKED, None, dead=False)
