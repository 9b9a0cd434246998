"""Wake-ups: processing and delivery start the moment there is work, not at the next tick.

A thread listens on ``storage.NEW_ARTICLES`` and ``storage.NEW_OUTBOX`` (PostgreSQL ``LISTEN/NOTIFY``, so a
poll on one host wakes a processor on another; an in-process condition on SQLite) and sets the daemon's
``asyncio.Event`` for each step. A step's loop clears its event before each run, so a wake-up that arrives
during a run causes one more run right after it; without wake-ups, each loop still runs every tick.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence

from monitor import storage
from monitor.errors import MonitorError

log = logging.getLogger(__name__)
RETRY_LISTEN_S = 2.0  # after losing the notification connection
WAIT_SLICE_S = 0.5  # how often the listening thread looks whether it should stop


class WakeListener:
    """Sets ``events`` (from the event loop's thread) whenever new work is announced."""

    def __init__(
        self, db: storage.Database, loop: asyncio.AbstractEventLoop, events: Sequence[asyncio.Event]
    ) -> None:
        self._db = db
        self._loop = loop
        self._events = tuple(events)
        self._stopped = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsmon-wakeups", daemon=True)

    def start(self, timeout_s: float = 10.0) -> WakeListener:
        """Start listening; returns once the listener is in place (or ``timeout_s`` passed)."""
        self._thread.start()
        self._ready.wait(timeout_s)
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=WAIT_SLICE_S * 4)

    def _wake(self) -> None:
        for event in self._events:
            event.set()

    def _run(self) -> None:
        channels = [storage.NEW_ARTICLES, storage.NEW_OUTBOX]
        while not self._stopped.is_set():
            try:
                with storage.listen(self._db, channels) as listener:
                    self._ready.set()
                    while not self._stopped.is_set():
                        if listener.wait(WAIT_SLICE_S):
                            self._loop.call_soon_threadsafe(self._wake)
            except MonitorError as exc:  # work still runs on every tick meanwhile
                self._ready.set()
                log.warning(
                    "not listening for new work; retrying",
                    extra={"action": "wakeups.lost", "error": str(exc)},
                )
                self._stopped.wait(RETRY_LISTEN_S)
            except RuntimeError:  # the event loop closed under us: the daemon is stopping
                return
