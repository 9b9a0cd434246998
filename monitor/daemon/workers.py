"""The parse worker pool: feed parsing is CPU-bound, so it runs in processes to use every core."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; only the daemon decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def parse_pool(workers: int) -> Executor | None:
    """A process pool of ``workers`` (0 = one per core); None (parse inline) on one core or workers=1."""
    count = workers or (os.cpu_count() or 1)
    if count <= 1:
        return None
    context = multiprocessing.get_context("spawn")  # no fork of a process holding threads and sockets
    return ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_ignore_interrupts)
