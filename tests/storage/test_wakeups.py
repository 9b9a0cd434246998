"""Wake-ups: a worker waiting for work is woken by a notification, from this process or (PostgreSQL) from
another host; waiting without one times out."""

from __future__ import annotations

import threading
import time

import pytest

from monitor.storage import Database
from monitor.storage.wakeups import listen, notify


def test_a_wait_without_notification_times_out(db: Database) -> None:
    with listen(db, ["articles"]) as listener:
        started = time.perf_counter()
        assert listener.wait(0.05) is False
        assert time.perf_counter() - started >= 0.04


def test_a_notification_sent_before_the_wait_is_not_lost(db: Database) -> None:
    with listen(db, ["articles", "outbox"]) as listener:
        notify(db, "outbox")
        assert listener.wait(5) is True
        assert listener.wait(0.01) is False  # consumed


def test_other_channels_do_not_wake_the_listener(db: Database) -> None:
    with listen(db, ["articles"]) as listener:
        notify(db, "outbox")
        assert listener.wait(0.05) is False


def test_a_notification_from_another_thread_wakes_the_waiter(db: Database) -> None:
    with listen(db, ["articles"]) as listener:
        sender = threading.Timer(0.05, notify, args=(db, "articles"))
        sender.start()
        started = time.perf_counter()
        woken = listener.wait(5)
        sender.join()
    assert woken is True
    assert time.perf_counter() - started < 2


@pytest.mark.postgres
def test_postgres_notifications_reach_listeners_of_another_daemon(postgres_url: str) -> None:
    here, elsewhere = Database.open(postgres_url), Database.open(postgres_url)
    try:
        with listen(elsewhere, ["feeds"]) as listener:
            notify(here, "feeds")
            assert listener.wait(5) is True
    finally:
        here.close()
        elsewhere.close()


@pytest.mark.parametrize("channel", ["Articles", "new-articles", "x; DROP TABLE feeds", ""])
def test_channel_names_are_plain_identifiers(db: Database, channel: str) -> None:
    with pytest.raises(ValueError, match="lower-case identifier"):
        notify(db, channel)
