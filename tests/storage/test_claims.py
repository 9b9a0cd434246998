"""Owned, renewed leases (issue 12, finding 5): a live worker keeps its claims however long its work takes;
a dead worker's claims are free again after the grace period, not 300 s; a clean stop frees them at once;
and a row a dead worker left "sending" is taken again and counted. Rule memory is read-checked-written
atomically (finding 2)."""

from __future__ import annotations

import pytest

from monitor.storage import (
    Database,
    Lease,
    StateConflict,
    claim_due_feeds,
    claim_due_outbox,
    claim_unprocessed_articles,
    held_by,
    put_rule_state,
    release_leases,
    renew_leases,
    save_processed,
)

from .helpers import NOW, alert, at, claimed_article, match, processed, stored_articles, stored_feed

GRACE = Lease("worker-a", 20)


def test_a_live_worker_renews_its_claims_and_a_dead_ones_lapse_after_the_grace_period(db: Database) -> None:
    stored_feed(db, 1)
    stored_feed(db, 2)
    (mine,) = claim_due_feeds(db, NOW, 1, GRACE.seconds, worker=GRACE.worker)
    (theirs,) = claim_due_feeds(db, NOW, 1, 20, worker="worker-b")

    for beat in (5, 10, 15, 20, 25):  # worker-a keeps beating; worker-b died at NOW
        renew_leases(db, GRACE, at(beat))

    taken = claim_due_feeds(db, at(21), 10, 20, worker="worker-c")
    assert [feed.id for feed in taken] == [theirs.id]  # 21 s after its last sign of life, not 300 s
    assert held_by(db, GRACE.worker)["feeds"] == 1 and mine.id != theirs.id


def test_a_clean_stop_releases_every_claim_at_once(db: Database) -> None:
    stored_articles(db, 3)
    claimed = claim_unprocessed_articles(db, NOW, 10, GRACE.seconds, GRACE.worker)
    assert len(claimed) == 3

    assert release_leases(db, GRACE, at(1)) == 3
    assert len(claim_unprocessed_articles(db, at(1), 10, 20, "worker-b")) == 3


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_and_counted(db: Database) -> None:
    article_id = claimed_article(db)
    processed(db, article_id, NOW, None, [match(article_id)], [alert(article_id)])
    (item,) = claim_due_outbox(db, NOW, 10, 20, worker="dies")
    assert not item.recovered

    assert claim_due_outbox(db, at(19), 10, 20, worker="other") == []  # still within the grace period
    (again,) = claim_due_outbox(db, at(21), 10, 20, worker="other")
    assert (again.id, again.recovered, again.dedupe_key) == (item.id, True, item.dedupe_key)


def test_rule_memory_changed_by_another_worker_since_it_was_read_refuses_the_batch(db: Database) -> None:
    # two workers read "term not seen" for the same key; the first commits; the second must not fire too
    read = {("new-term", "Acme"): None}
    save_processed(db, NOW, [], [("new-term", "Acme", {"seen": ["Acme"]})], read)

    with pytest.raises(StateConflict, match="new-term"):
        save_processed(db, NOW, [], [("new-term", "Acme", {"seen": ["Acme"]})], read)

    put_rule_state(db, "state", "summit", "planned", NOW)
    save_processed(db, NOW, [], [("state", "summit", "cancelled")], {("state", "summit"): "planned"})
    with pytest.raises(StateConflict):  # the same change fired again from a stale read
        save_processed(db, NOW, [], [("state", "summit", "cancelled")], {("state", "summit"): "planned"})
