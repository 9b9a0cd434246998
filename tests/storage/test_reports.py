"""Reads for people: filtering the alert history and the counts behind ``newsmon status``."""

from __future__ import annotations

from monitor.domain import DeliveryResult, FeedStatus
from monitor.storage import (
    Database,
    claim_due_outbox,
    list_story_alerts,
    record_delivery,
    save_poll,
    storage_stats,
)

from .helpers import NOW, alert, at, entry, match, polled, processed, stored_feed


def history(db: Database) -> None:
    """Three alerts: analysts and desk for sanctions at NOW, analysts for summits an hour later."""
    feed_id = stored_feed(db)
    first, second = save_poll(db, polled(feed_id), [entry(1), entry(2)], NOW)
    processed(db, first, NOW, None, [match(first)], [alert(first), alert(first, "desk")])
    processed(db, second, at(3600), None, [match(second, "summit")], [alert(second, rule_id="summit")])


def test_alerts_are_listed_newest_first_and_filter_by_subscriber_rule_and_time(db: Database) -> None:
    history(db)

    def listed(**filters: object) -> list[tuple[str, str]]:
        return [(a.rule_id, a.subscriber) for a in list_story_alerts(db, **filters)]  # type: ignore[arg-type]

    assert listed() == [("summit", "analysts"), ("sanctions-new", "desk"), ("sanctions-new", "analysts")]
    assert listed(subscriber="desk") == [("sanctions-new", "desk")]
    assert listed(rule="sanctions-new", subscriber="analysts") == [("sanctions-new", "analysts")]
    assert listed(since=at(60)) == [("summit", "analysts")]
    assert listed(limit=1) == [("summit", "analysts")]
    assert listed(failed=True) == []


def test_stats_count_feeds_articles_and_alerts_by_state(db: Database) -> None:
    history(db)
    failing, gone = stored_feed(db, 2), stored_feed(db, 3)
    failed = polled(failing, checked_at=at(7000), error_count=2, last_error="timeout", next_poll_at=at(7200))
    save_poll(db, failed, [], at(7000))
    save_poll(db, polled(gone, status=FeedStatus.GONE), [], NOW)
    sent, dead, _pending = claim_due_outbox(db, at(3600), limit=10, lease_s=30)
    record_delivery(db, DeliveryResult(sent.id, True, at(3601)), "x", None, dead=False)
    record_delivery(db, DeliveryResult(dead.id, False, at(3601), "401"), "x", None, dead=True)

    stats = storage_stats(db, at(3700))

    assert (stats.feeds_active, stats.feeds_inactive, stats.feeds_failing, stats.feeds_due) == (2, 1, 1, 1)
    assert (stats.articles, stats.articles_unprocessed, stats.last_poll_at) == (2, 0, at(7000))
    assert (stats.outbox_pending, stats.outbox_due, stats.outbox_dead, stats.outbox_sent) == (1, 1, 1, 1)
    assert stats.oldest_pending_alert_at == at(3600)


def test_stats_of_an_empty_database_are_zeros(db: Database) -> None:
    stats = storage_stats(db, NOW)

    assert (stats.feeds_active, stats.articles, stats.outbox_pending, stats.outbox_sent) == (0, 0, 0, 0)
    assert (stats.last_poll_at, stats.oldest_pending_alert_at) == (None, None)
