"""Time, concurrency and signals: the only package that reads the clock or sleeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.lazy import lazy_names

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


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "Daemon",
    "OnceSummary",
    "configure_logging",
    "run_once",
    "utc_now",
]
