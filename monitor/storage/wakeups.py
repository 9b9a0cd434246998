"""Wake idle workers when there is new work: ``notify`` after a commit, ``listen`` + ``wait`` in a loop.

On PostgreSQL this is ``LISTEN/NOTIFY``, so a poller on one host wakes a processor on another. On SQLite
(one process) the same calls work inside the process. Either way a wake-up is only a hint: workers still
claim from the database and still poll on an interval, so a lost notification delays work, never loses it.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from monitor.errors import StorageError
from monitor.storage.database import Database, describe

if TYPE_CHECKING:  # the driver loads with a PostgreSQL listener only: SQLite processes never import it
    import psycopg

_CHANNEL = re.compile(r"[a-z_][a-z0-9_]{0,62}")
NEW_ARTICLES = "newsmon_articles"  # a poll stored new articles: processors, wake up
NEW_OUTBOX = "newsmon_outbox"  # processing queued notifications: deliverers, wake up


class Listener(Protocol):
    def wait(self, timeout_s: float) -> bool:
        """Block until one of the channels is notified (True) or ``timeout_s`` passes (False)."""
        ...


def notify(db: Database, channel: str) -> None:
    """Wake every listener of ``channel``, in this process or (PostgreSQL) on any host."""
    _check(channel)
    if db.dialect == "postgresql":
        with db.write() as conn:
            conn.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": channel})
    else:
        _hub(db).notify(channel)


@contextmanager
def listen(db: Database, channels: Sequence[str]) -> Iterator[Listener]:
    """Listen on ``channels`` until the block ends; notifications sent meanwhile are not lost."""
    for channel in channels:
        _check(channel)
    if db.dialect != "postgresql":
        yield _LocalListener(_hub(db), channels)
        return
    with _postgres_listener(db, channels) as listener:
        yield listener


def _check(channel: str) -> None:
    if not _CHANNEL.fullmatch(channel):
        raise ValueError(f"channel {channel!r} must be a lower-case identifier")


class _Hub:
    """In-process notifications for one SQLite database: a counter per channel under a condition."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.counts: dict[str, int] = {}

    def notify(self, channel: str) -> None:
        with self.condition:
            self.counts[channel] = self.counts.get(channel, 0) + 1
            self.condition.notify_all()


_hubs: weakref.WeakKeyDictionary[Database, _Hub] = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def _hub(db: Database) -> _Hub:
    with _hubs_lock:
        return _hubs.setdefault(db, _Hub())


class _LocalListener:
    def __init__(self, hub: _Hub, channels: Sequence[str]) -> None:
        self._hub = hub
        with hub.condition:
            self._seen = {channel: hub.counts.get(channel, 0) for channel in channels}

    def wait(self, timeout_s: float) -> bool:
        with self._hub.condition:
            woken = self._hub.condition.wait_for(self._pending, timeout=timeout_s)
            self._seen = {channel: self._hub.counts.get(channel, 0) for channel in self._seen}
        return woken

    def _pending(self) -> bool:
        return any(self._hub.counts.get(channel, 0) > seen for channel, seen in self._seen.items())


class _PostgresListener:
    def __init__(self, connection: psycopg.Connection[object], url: str) -> None:
        self._connection = connection
        self._url = url

    def wait(self, timeout_s: float) -> bool:
        import psycopg

        try:
            return any(True for _ in self._connection.notifies(timeout=timeout_s, stop_after=1))
        except psycopg.Error as exc:
            raise StorageError(f"{self._url}: lost the notification connection: {describe(exc)}") from exc


@contextmanager
def _postgres_listener(db: Database, channels: Sequence[str]) -> Iterator[_PostgresListener]:
    # A dedicated connection outside transactions, discarded afterwards instead of going back to the pool.
    try:
        conn = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except sa.exc.SQLAlchemyError as exc:
        raise StorageError(f"{db.url}: {describe(exc)}") from exc
    try:
        for channel in channels:
            conn.exec_driver_sql(f"LISTEN {channel}")
        import psycopg

        driver = conn.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        yield _PostgresListener(driver, db.url)
    except sa.exc.SQLAlchemyError as exc:
        raise StorageError(f"{db.url}: {describe(exc)}") from exc
    finally:
        conn.invalidate()
        conn.close()
