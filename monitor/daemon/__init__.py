"""Time, concurrency and signals: the only package that reads the clock or sleeps."""

from monitor.daemon.logs import configure_logging
from monitor.daemon.service import Daemon, OnceSummary, run_once, utc_now

__all__ = ["Daemon", "OnceSummary", "configure_logging", "run_once", "utc_now"]
