"""Transaction 1: a poll's feed state and its new articles, stored together and only once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from monitor.domain import FeedStatus
from monitor.errors import StorageError
from monitor.storage import Database, claim_unprocessed_articles, get_feed, known_identities, save_poll

from .helpers import NOW, at, entry, polled, source, stored_feed


def test_save_poll_inserts_the_entries_and_returns_their_ids(db: Database) -> None:
    feed_id = stored_feed(db)

    ids = save_poll(db, polled(feed_id), [entry(1), entry(2), entry(3)], at(5))

    assert ids == [1, 2, 3]
    assert known_identities(db, feed_id) == {"id-1", "id-2", "id-3"}


def test_a_second_save_of_the_same_entries_inserts_nothing(db: Database) -> None:
    feed_id = stored_feed(db)
    save_poll(db, polled(feed_id), [entry(1), entry(2)], NOW)

    again = save_poll(db, polled(feed_id, checked_at=at(600)), [entry(2), entry(1), entry(3)], at(600))

    assert len(again) == 1
    assert known_identities(db, feed_id) == {"id-1", "id-2", "id-3"}


def test_an_entry_repeated_within_one_document_is_stored_once(db: Database) -> None:
    feed_id = stored_feed(db)

    ids = save_poll(db, polled(feed_id), [entry(1), replace(entry(1), title="Later copy")], NOW)

    assert len(ids) == 1
    (article,) = claim_unprocessed_articles(db, NOW, limit=10, lease_s=60)
    assert article.title == "Headline 1"


def test_identities_are_unique_per_feed_not_globally(db: Database) -> None:
    first, second = stored_feed(db, 1), stored_feed(db, 2)

    assert len(save_poll(db, polled(first), [entry(1)], NOW)) == 1
    assert len(save_poll(db, polled(second), [entry(1)], NOW)) == 1


def test_save_poll_writes_the_feed_state_and_keeps_validators_an_error_poll_does_not_know(
    db: Database,
) -> None:
    feed_id = stored_feed(db)
    save_poll(
        db, polled(feed_id, etag='"v1"', last_modified="Mon, 05 Jan 2026 11:00:00 GMT", title="Wire"), [], NOW
    )

    failed = polled(feed_id, checked_at=at(600), next_poll_at=at(1800), error_count=1, last_error="timeout")
    save_poll(db, replace(failed, http_status=None), [], at(600))

    stored = get_feed(db, source().url)
    assert stored is not None
    assert (stored.etag, stored.last_modified, stored.title) == (
        '"v1"',
        "Mon, 05 Jan 2026 11:00:00 GMT",
        "Wire",
    )
    assert (stored.error_count, stored.last_error, stored.last_status) == (1, "timeout", None)
    assert (stored.last_polled_at, stored.next_poll_at, stored.claimed_until) == (at(600), at(1800), None)
    assert stored.status is FeedStatus.ACTIVE


def test_a_confirmed_permanent_redirect_moves_the_feed_and_remembers_where_it_was(db: Database) -> None:
    feed_id = stored_feed(db)
    save_poll(db, polled(feed_id, redirect_candidate="https://moved.example/feed", redirect_count=2), [], NOW)

    save_poll(db, polled(feed_id, checked_at=at(600), url="https://moved.example/feed"), [entry(1)], at(600))

    assert get_feed(db, source().url) is None
    moved = get_feed(db, "https://moved.example/feed")
    assert moved is not None
    assert (moved.id, moved.moved_from, moved.redirect_candidate, moved.redirect_count) == (
        feed_id,
        source().url,
        None,
        0,
    )
    assert known_identities(db, feed_id) == {"id-1"}


def test_a_move_onto_a_url_another_feed_has_disables_the_duplicate_and_keeps_its_articles(
    db: Database,
) -> None:
    feed_id, other_id = stored_feed(db, 1), stored_feed(db, 2)

    ids = save_poll(db, polled(feed_id, url=source(2).url), [entry(1)], NOW)

    stored = get_feed(db, source(1).url)
    assert stored is not None
    assert stored.status is FeedStatus.DISABLED
    assert stored.last_error == f"moved permanently to {source(2).url}, which is already feed {other_id}"
    assert len(ids) == 1


def test_a_missing_date_falls_back_to_the_fetch_time_and_says_so(db: Database) -> None:
    feed_id = stored_feed(db)
    save_poll(db, polled(feed_id), [entry(1, published_at=None), entry(2)], at(30))

    first, second = claim_unprocessed_articles(db, at(30), limit=10, lease_s=60)

    assert (first.published_at, first.date_is_fallback, first.fetched_at) == (at(30), True, at(30))
    assert (second.published_at, second.date_is_fallback) == (NOW - timedelta(hours=1), False)


def test_saving_for_a_feed_that_was_removed_is_a_storage_error(db: Database) -> None:
    with pytest.raises(StorageError, match="feed 42 does not exist"):
        save_poll(db, polled(42), [entry(1)], NOW)


def test_five_thousand_entries_save_in_one_transaction_and_never_twice(db: Database) -> None:
    # how fast is measured in `make bench` (bench_poll.py), not asserted here: timings flake on a shared box
    feed_id = stored_feed(db)
    entries = [entry(n, content="word " * 200) for n in range(5_000)]

    ids = save_poll(db, polled(feed_id), entries, NOW)
    again = save_poll(db, polled(feed_id), entries, NOW)

    assert (len(ids), again) == (5_000, [])
