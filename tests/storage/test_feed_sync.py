"""The configuration sync: a confirmed move survives a restart with the feed's options, and several
daemons starting at once on one PostgreSQL database all start."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from monitor.domain import FeedStatus
from monitor.storage import Database, claim_due_feeds, list_feeds, save_poll, sync_configured_feeds

from .helpers import NOW, at, polled, source


def _move(db: Database, to: str, when: float) -> None:
    (feed,) = claim_due_feeds(db, at(when), limit=1, lease_s=60)
    save_poll(db, polled(feed.id, checked_at=at(when), url=to, next_poll_at=at(when)), [], at(when))


def test_a_configured_feed_that_moved_stays_moved_with_its_options_after_a_restart(db: Database) -> None:
    configured = replace(source(1), fetch_full_text=True)
    sync_configured_feeds(db, [configured], NOW)
    _move(db, "https://moved.example/feed.xml", 0)
    _move(db, "https://moved-again.example/feed.xml", 1)

    sync_configured_feeds(db, [replace(configured, name="Renamed")], at(10))  # the restart

    [feed] = list_feeds(db)
    assert (feed.url, feed.moved_from, feed.status) == (
        "https://moved-again.example/feed.xml",
        configured.url,
        FeedStatus.ACTIVE,
    )
    assert feed.name == "Renamed"
    [claimed] = claim_due_feeds(db, at(3600), limit=5, lease_s=60)
    assert (claimed.url, claimed.fetch_full_text) == ("https://moved-again.example/feed.xml", True)


def test_a_moved_feed_dropped_from_the_configuration_is_disabled(db: Database) -> None:
    sync_configured_feeds(db, [source(1)], NOW)
    _move(db, "https://moved.example/feed.xml", 0)

    sync_configured_feeds(db, [source(2)], at(10))

    assert {(f.url, f.status) for f in list_feeds(db)} == {
        ("https://moved.example/feed.xml", FeedStatus.DISABLED),
        (source(2).url, FeedStatus.ACTIVE),
    }


@pytest.mark.postgres
def test_daemons_starting_at_once_on_a_fresh_database_all_sync(postgres_url: str) -> None:
    daemons = 4
    for round_ in range(8):  # the race needs both transactions to read before either inserts
        feeds = [source(n) for n in range(round_ * 40, round_ * 40 + 40)]
        start = threading.Barrier(daemons)
        errors: list[BaseException] = []

        def daemon(feeds: list = feeds, start: threading.Barrier = start, errors: list = errors) -> None:
            database = Database.open(postgres_url)
            try:
                start.wait()
                sync_configured_feeds(database, feeds, NOW)
            except BaseException as exc:
                errors.append(exc)
            finally:
                database.close()

        threads = [threading.Thread(target=daemon) for _ in range(daemons)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    check = Database.open(postgres_url)
    try:
        assert len(list_feeds(check)) == 8 * 40
    finally:
        check.close()
