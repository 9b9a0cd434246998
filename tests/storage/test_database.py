"""The door to the database: opening each engine, transactions, SQLite locking, time zones, and errors that
arrive as ``StorageError`` with their cause and without the statement's parameters."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.errors import StorageError
from monitor.storage import Database, add_feed, get_feed, list_feeds
from monitor.storage.tables import feeds

from .helpers import NOW, source


def test_sqlite_creates_its_directory_and_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'deep' / 'er' / 'newsmon.db'}")
    try:
        with db.read() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert (tmp_path / "deep" / "er" / "newsmon.db").exists()
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15_000}
    finally:
        db.close()


def test_in_memory_sqlite_is_one_database_for_the_whole_process() -> None:
    db = Database.open("sqlite://")
    try:
        db.upgrade()
        add_feed(db, source(), NOW)
        assert [feed.url for feed in list_feeds(db)] == [source().url]
    finally:
        db.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@127.0.0.1/newsmon", "unsupported database 'mysql'"),
        ("not a url", "not a database URL"),
    ],
)
def test_only_sqlite_and_postgresql_urls_open(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        Database.open(url)


def test_an_unreachable_server_is_a_storage_error_with_the_password_masked() -> None:
    db = Database.open("postgresql+psycopg://newsmon:hunter2@127.0.0.1:1/newsmon?connect_timeout=2")
    try:
        with pytest.raises(
            StorageError, match=r"newsmon:\*\*\*@127\.0\.0\.1:1/newsmon.*OperationalError"
        ) as caught:
            db.ensure_current()
        assert "hunter2" not in str(caught.value)
        assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
    finally:
        db.close()


def test_a_write_that_raises_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError, match="midway"), db.write() as conn:
        conn.execute(sa.insert(feeds).values(_feed_row("https://a.example/feed")))
        raise RuntimeError("midway")
    assert list_feeds(db) == []


def test_a_refused_write_is_a_storage_error_that_keeps_its_cause_but_not_its_parameters(db: Database) -> None:
    secret_url = "https://reader:topsecret@a.example/feed"
    with db.write() as conn:
        conn.execute(sa.insert(feeds).values(_feed_row(secret_url)))
    with pytest.raises(StorageError, match=r"(?i)unique") as caught, db.write() as conn:
        conn.execute(sa.insert(feeds).values(_feed_row(secret_url)))
    assert isinstance(caught.value.__cause__, sa.exc.IntegrityError)
    assert "topsecret" not in str(caught.value)
    assert len(list_feeds(db)) == 1


def test_datetimes_come_back_as_the_same_instant_in_utc(db: Database) -> None:
    in_kyiv = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    add_feed(db, source(), in_kyiv)
    stored = get_feed(db, source().url)
    assert stored is not None
    assert stored.created_at == in_kyiv
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at.hour == 7


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(StorageError, match="naive datetime"):
        add_feed(db, source(), datetime(2026, 1, 5, 12, 0))
    assert list_feeds(db) == []


def test_sqlite_writers_queue_for_the_lock_instead_of_failing(sqlite_url: str) -> None:
    """Two transactions that read then write: with a deferred BEGIN the second one's upgrade to a write
    lock fails at once with "database is locked"; BEGIN IMMEDIATE makes it wait its turn."""
    db = Database.open(sqlite_url)
    errors: list[BaseException] = []

    def read_then_write(n: int) -> None:
        try:
            with db.write() as conn:
                conn.execute(sa.select(sa.func.count()).select_from(feeds)).scalar()
                time.sleep(0.05)
                conn.execute(sa.insert(feeds).values(_feed_row(f"https://{n}.example/feed")))
        except BaseException as exc:
            errors.append(exc)

    try:
        workers = [threading.Thread(target=read_then_write, args=(n,)) for n in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        assert len(list_feeds(db)) == 3
    finally:
        db.close()


def _feed_row(url: str) -> dict[str, object]:
    return {
        "url": url,
        "name": "A",
        "interval_s": 60,
        "tags": [],
        "next_poll_at": NOW,
        "created_at": NOW,
        "source": "cli",
    }


def test_the_head_read_off_the_migration_files_is_alembics_head(tmp_path: Path) -> None:
    """``ensure_current`` decides the common case without Alembic, from the files: they must agree."""
    from monitor.storage.database import written_head

    db = Database.open(f"sqlite:///{tmp_path}/head.db")
    try:
        assert written_head() == db.head_revision()
        assert db.current_revision() is None
        db.upgrade()
        assert db.current_revision() == written_head()
        db.ensure_current()
    finally:
        db.close()
