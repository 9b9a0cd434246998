"""The parse worker pool: feed parsing is CPU-bound, so it runs in processes to use every core.

A worker that dies (killed by the OOM killer, a crash in a C extension) breaks a plain
``ProcessPoolExecutor`` for good; ``RestartingPool`` replaces the broken pool on the next submit, so one
poisonous feed costs one failed poll, not the daemon's parsing until a restart.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; only the daemon decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class RestartingPool(Executor):
    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # no fork of a process holding threads and sockets
        return ProcessPoolExecutor(
            max_workers=self._workers, mp_context=context, initializer=_ignore_interrupts
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._lock:
            try:
                return self._pool.submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                log.error(
                    "a parse worker died; starting a new pool", extra={"action": "parse.pool_restarted"}
                )
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def parse_pool(workers: int) -> Executor | None:
    """A process pool of ``workers`` (0 = one per core); None (parse in a thread) on one core or workers=1."""
    count = workers or (os.cpu_count() or 1)
    return RestartingPool(count) if count > 1 else None
