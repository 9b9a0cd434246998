"""Logging set-up: one line per event with a stable ``action`` key and the ids involved.

Text for a person at a terminal, JSON lines for a log shipper. Channel URLs are masked by the code that
logs them (``alerting.mask``); nothing here ever prints a secret.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from monitor.settings import LoggingSettings

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = _extras(record)
        action = extras.pop("action", None)
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        fields = " ".join(f"{k}={v}" for k, v in extras.items() if v not in (None, ""))
        line = f"{stamp} {record.levelname:<7} {action or record.name}: {record.getMessage()}"
        if fields:
            line += f"  [{fields}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(settings: LoggingSettings, verbose: int = 0) -> None:
    """Send logs to stderr (stdout is for alerts on the console channel and command output)."""
    level = logging.DEBUG if verbose > 0 else getattr(logging, settings.level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # apprise is not listed: its logger stays at DEBUG for apprise's per-call capture, and passes on only
    # warnings and worse (alerting.registry._ForwardAtRootLevel)
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
