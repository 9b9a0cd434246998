"""Time, concurrency and signals: the only package that reads the clock or sleeps."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.daemon.clock import utc_now
    from monitor.daemon.logs import configure_logging
    from monitor.daemon.service import Daemon, OnceSummary, run_once

_HOMES = {
    "Daemon": "monitor.daemon.service",
    "OnceSummary": "monitor.daemon.service",
    "configure_logging": "monitor.daemon.logs",
    "run_once": "monitor.daemon.service",
    "utc_now": "monitor.daemon.clock",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "Daemon",
    "OnceSummary",
    "configure_logging",
    "run_once",
    "utc_now",
]
