"""A FIFO where a regular file is expected, for tests that reading it no longer blocks forever."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def fifo(path: Path) -> Iterator[Path]:
    """Make a FIFO at ``path``; on exit, release any reader still blocked on it (so a failing test ends)."""
    os.mkfifo(path)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):  # ENXIO: nobody is reading, nothing to release
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
