"""What every parse worker runs first. Standard library only: a worker imports this module to run it, and
anything imported here is paid for again in every worker at every start."""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_CHECK_S = 0.5  # how soon a worker notices that its parent died


def init_worker(parent_pid: int) -> None:
    # Ctrl-C reaches the whole process group; only the daemon decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """Exit the worker once it is orphaned (re-parented to init or a subreaper: the pid changes)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)
