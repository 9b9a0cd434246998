"""The parse and enrichment worker pools, and the heartbeat that keeps this worker's claims
(``storage.claims``) alive.

Feed parsing is CPU-bound, so it runs in processes to use every core.

A worker that dies (killed by the OOM killer, a crash in a C extension) breaks a plain
``ProcessPoolExecutor`` for good; ``RestartingPool`` replaces the broken pool on the next submit, so one
poisonous feed costs one failed poll, not the daemon's parsing until a restart.

Workers die with their parent: a daemon killed with SIGKILL (or by the OOM killer) runs no clean-up, and its
workers (~125 MB each) and the resource tracker (which exits once the last worker holding its pipe is gone)
would otherwise run on for good. A watchdog thread in each worker exits when its parent is no longer the
process that started it. (Not ``PR_SET_PDEATHSIG``: that fires when the *thread* that started the worker
ends, so a pool restarted from a short-lived thread would lose its workers at random.)
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any, TypeVar

from monitor import storage
from monitor.daemon.worker_start import init_worker
from monitor.errors import MonitorError
from monitor.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


class RestartingPool(Executor):
    """Started at the first submit: a poll where every feed answers 304 parses nothing, and a process pool
    costs even before its first worker (multiprocessing's resource tracker is a Python process of its own).
    """

    def __init__(self, workers: int, job: str = "parse") -> None:
        self._workers = workers
        self._job = job  # what its workers do, for the logs
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._shut = False

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding threads and sockets
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._pool is None:
                self._pool = self._new_pool()
            try:
                return self._pool.submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                log.error(
                    "a %s worker died; starting a new pool",
                    self._job,
                    extra={"action": f"{self._job}.pool_restarted"},
                )
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shut = True
            if self._pool is not None:
                self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def parse_pool(workers: int) -> Executor | None:
    """A process pool of ``workers`` (0 = one per core); None (parse in a thread) on one core or workers=1."""
    count = workers or (os.cpu_count() or 1)
    return RestartingPool(count) if count > 1 else None


def enrichment_pool(settings: Settings) -> tuple[Executor | None, int]:
    """The processes the model reads in (``enrichment.workers``, 0 = one per core) and how many; (None, 0)
    when enrichment is off, on one core or with workers=1: the model then reads in the daemon's process."""
    if not settings.enrichment.enabled:
        return None, 0
    count = settings.enrichment.workers or (os.cpu_count() or 1)
    if count < 2:
        return None, 0
    log.info(
        "the model reads in %d worker processes (enrichment.workers)",
        count,
        extra={"action": "enrichment.workers", "workers": count},
    )
    return RestartingPool(count, "enrichment"), count


class Heartbeat:
    """Renews every claim this process holds, every ``every_s``, from a thread of its own: a busy event
    loop or a long enrichment batch never lets a live worker's claims lapse. ``stop`` hands them back."""

    def __init__(
        self, db: storage.Database, lease: storage.Lease, every_s: float, clock: Callable[[], datetime]
    ) -> None:
        self._db = db
        self._lease = lease
        self._every_s = every_s
        self._clock = clock
        self._stopped = threading.Event()
        self._started_at = clock()
        self._thread = threading.Thread(target=self._run, name="newsmon-heartbeat", daemon=True)

    def start(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def beat(self) -> None:
        try:
            storage.renew_leases(self._db, self._lease, self._clock(), self._started_at)
        except MonitorError as exc:  # the database is away: claims may lapse, work is then taken over
            log.warning(
                "could not renew this worker's claims",
                extra={"action": "worker.heartbeat_failed", "error": str(exc)},
            )

    def _run(self) -> None:
        while not self._stopped.wait(self._every_s):
            self.beat()

    def stop(self) -> None:
        """Stop beating and release every claim not mid-send (the caller finished its work first)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()
        try:
            released = storage.release_leases(self._db, self._lease, self._clock())
        except MonitorError as exc:
            log.warning(
                "could not release this worker's claims",
                extra={"action": "worker.release_failed", "error": str(exc)},
            )
            return
        log.info(
            "claims released",
            extra={"action": "worker.released", "worker": self._lease.worker, "rows": released},
        )
