"""Feeds: syncing the configured ones, adding and removing from the CLI, and leasing due feeds to pollers."""

from __future__ import annotations

from dataclasses import replace

from monitor.domain import ClaimedFeed, FeedStatus
from monitor.storage import (
    Database,
    add_feed,
    claim_due_feeds,
    get_feed,
    list_feeds,
    remove_feed,
    save_poll,
    sync_configured_feeds,
)

from .helpers import NOW, at, entry, polled, source, stored_feed


def test_sync_adds_configured_feeds_due_now(db: Database) -> None:
    sync_configured_feeds(db, [source(1, tags=("energy",)), source(2)], NOW)

    listed = {feed.url: feed for feed in list_feeds(db)}
    assert set(listed) == {source(1).url, source(2).url}
    first = listed[source(1).url]
    assert (first.name, first.interval_s, first.tags, first.source) == ("News 1", 600, ("energy",), "config")
    assert (first.status, first.next_poll_at, first.created_at, first.error_count) == (
        FeedStatus.ACTIVE,
        NOW,
        NOW,
        0,
    )


def test_sync_updates_name_interval_and_tags_and_keeps_poll_state(db: Database) -> None:
    sync_configured_feeds(db, [source(1, interval_s=3600)], NOW)
    (feed,) = claim_due_feeds(db, NOW, limit=1, lease_s=60)
    assert feed.id is not None
    save_poll(db, polled(feed.id, etag='"v1"', next_poll_at=at(3600)), [], NOW)

    renamed = replace(source(1, interval_s=7200, tags=("oil",)), name="Renamed")
    sync_configured_feeds(db, [renamed], at(10))

    stored = get_feed(db, source(1).url)
    assert stored is not None
    assert (stored.name, stored.interval_s, stored.tags) == ("Renamed", 7200, ("oil",))
    assert (stored.etag, stored.next_poll_at, stored.created_at) == ('"v1"', at(3600), NOW)


def test_sync_with_a_shorter_interval_brings_the_next_poll_forward(db: Database) -> None:
    sync_configured_feeds(db, [source(1, interval_s=86_400)], NOW)
    (feed,) = claim_due_feeds(db, NOW, limit=1, lease_s=60)
    assert feed.id is not None
    save_poll(db, polled(feed.id, next_poll_at=at(86_400)), [], NOW)

    sync_configured_feeds(db, [source(1, interval_s=300)], at(10))

    stored = get_feed(db, source(1).url)
    assert stored is not None
    assert stored.next_poll_at == at(300)


def test_sync_disables_configured_feeds_that_left_the_config_and_revives_them_when_they_return(
    db: Database,
) -> None:
    sync_configured_feeds(db, [source(1), source(2)], NOW)
    add_feed(db, source(3), NOW)

    sync_configured_feeds(db, [source(1)], at(60))
    statuses = {feed.url: feed.status for feed in list_feeds(db)}
    assert statuses == {
        source(1).url: FeedStatus.ACTIVE,
        source(2).url: FeedStatus.DISABLED,
        source(3).url: FeedStatus.ACTIVE,  # added with the CLI: not the config's to switch off
    }
    assert [feed.url for feed in claim_due_feeds(db, at(60), limit=10, lease_s=60)] == [
        source(1).url,
        source(3).url,
    ]

    sync_configured_feeds(db, [source(1), source(2)], at(120))
    revived = get_feed(db, source(2).url)
    assert revived is not None
    assert (revived.status, revived.next_poll_at) == (FeedStatus.ACTIVE, at(120))


def test_add_feed_returns_it_with_its_id_and_due_now(db: Database) -> None:
    added = add_feed(db, source(1, tags=("ru",)), NOW)

    assert added.id is not None
    assert (added.url, added.tags, added.status) == (source(1).url, ("ru",), FeedStatus.ACTIVE)
    stored = get_feed(db, source(1).url)
    assert stored is not None
    assert (stored.id, stored.source, stored.next_poll_at) == (added.id, "cli", NOW)


def test_adding_a_known_url_again_reactivates_it_instead_of_duplicating_it(db: Database) -> None:
    feed_id = stored_feed(db, 1)
    save_poll(db, polled(feed_id, status=FeedStatus.GONE, error_count=1, last_error="410 Gone"), [], NOW)

    again = add_feed(db, replace(source(1), name="Back"), at(600))

    assert again.id == feed_id
    (stored,) = list_feeds(db)
    assert (stored.name, stored.status, stored.error_count, stored.last_error) == (
        "Back",
        FeedStatus.ACTIVE,
        0,
        None,
    )
    assert stored.next_poll_at == at(600)


def test_remove_feed_disables_it_and_keeps_its_articles(db: Database) -> None:
    feed_id = stored_feed(db, 1)
    save_poll(db, polled(feed_id), [entry(1), entry(2)], NOW)

    assert remove_feed(db, source(1).url) is True
    assert remove_feed(db, "https://nowhere.example/feed") is False
    removed = get_feed(db, source(1).url)
    assert removed is not None and removed.status == FeedStatus.DISABLED
    assert claim_due_feeds(db, at(3600), 10, 60) == []
    # the articles stayed: re-adding the feed does not store the same entries as new
    again = add_feed(db, source(1), at(60))
    assert (again.id, again.status) == (feed_id, FeedStatus.ACTIVE)
    assert save_poll(db, polled(feed_id), [entry(1), entry(2)], at(60)) == []


def test_claim_leases_due_feeds_until_the_lease_expires(db: Database) -> None:
    for n in (1, 2, 3):
        stored_feed(db, n)

    first = claim_due_feeds(db, NOW, limit=2, lease_s=300)
    second = claim_due_feeds(db, at(1), limit=10, lease_s=300)
    while_leased = claim_due_feeds(db, at(299), limit=10, lease_s=300)
    after_expiry = claim_due_feeds(db, at(302), limit=10, lease_s=300)

    assert [feed.url for feed in first] == [source(1).url, source(2).url]
    assert [feed.url for feed in second] == [source(3).url]
    assert while_leased == []
    assert [feed.url for feed in after_expiry] == [source(1).url, source(2).url, source(3).url]


def test_claim_skips_feeds_not_yet_due_and_inactive_ones(db: Database) -> None:
    due, later, gone = stored_feed(db, 1), stored_feed(db, 2), stored_feed(db, 3)
    save_poll(db, polled(later, next_poll_at=at(600)), [], NOW)
    save_poll(db, polled(gone, next_poll_at=NOW, status=FeedStatus.GONE), [], NOW)

    claimed = claim_due_feeds(db, at(1), limit=10, lease_s=60)

    assert [feed.id for feed in claimed] == [due]
    assert [feed.id for feed in claim_due_feeds(db, at(600), limit=10, lease_s=60)] == [due, later]


def test_a_saved_poll_releases_the_lease_and_sets_the_next_poll(db: Database) -> None:
    feed_id = stored_feed(db, 1)
    (claimed,) = claim_due_feeds(db, NOW, limit=1, lease_s=300)
    save_poll(db, polled(feed_id, next_poll_at=at(60)), [], at(5))

    assert claim_due_feeds(db, at(59), limit=1, lease_s=300) == []
    assert [feed.id for feed in claim_due_feeds(db, at(60), limit=1, lease_s=300)] == [claimed.id]


def test_claimed_feeds_carry_what_the_poller_needs(db: Database) -> None:
    feed_id = stored_feed(db, 1, tags=("energy",))
    update = polled(feed_id, next_poll_at=at(60), etag='"abc"', last_modified="Mon, 05 Jan 2026 11:00:00 GMT")
    save_poll(
        db,
        replace(update, error_count=2, redirect_candidate="https://new.example/feed", redirect_count=1),
        [],
        NOW,
    )

    (feed,) = claim_due_feeds(db, at(60), limit=1, lease_s=60)

    expected = source(1, tags=("energy",))
    assert feed == ClaimedFeed(
        id=feed_id,
        url=expected.url,
        name=expected.name,
        interval_s=expected.interval_s,
        tags=expected.tags,
        etag='"abc"',
        last_modified="Mon, 05 Jan 2026 11:00:00 GMT",
        error_count=2,
        redirect_candidate="https://new.example/feed",
        redirect_count=1,
    )
