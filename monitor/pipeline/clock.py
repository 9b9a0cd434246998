"""The time inside a long step: its ``now`` moved on by the real time elapsed since.

A step that claims batch after batch (polling, processing, delivering) must compute each claim's lease
from the time of THAT claim: with the step's start time, a batch claimed after a slow minute is already
expired when it is written, and another worker takes it too (issue 12, finding 1). Steps still take
``now`` (tests pass a fixed timeline); this only advances it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta


def advancing(now: datetime) -> Callable[[], datetime]:
    """A clock that reads exactly ``now`` the first time, and ``now`` + the (monotonic) time elapsed
    since then afterwards."""
    start: float | None = None

    def read() -> datetime:
        nonlocal start
        if start is None:
            start = time.monotonic()
            return now
        return now + timedelta(seconds=time.monotonic() - start)

    return read
