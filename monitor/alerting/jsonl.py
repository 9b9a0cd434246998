"""``jsonl:///path/to/file``: one JSON object per alert appended to a file, for scripts and tests.

The path is absolute (three slashes). Each line is ``{"title", "body", "type", "format"}`` plus, for an
outbox delivery, ``alerting.delivery.alert_fields``: ``id`` (the idempotency key), ``rule``, ``article``,
``alert``, ``story``, ``key``, ``severity``, ``link`` and the ``state`` or ``value`` and ``unit`` (those the
alert has); a line is written
with one ``write`` under a lock, so concurrent alerts never interleave within a line.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SCHEME = "jsonl"
# identifiers delivery adds to the URL's query (``alerting.delivery.with_idempotency_key``), copied to the line
ALERT_FIELDS = (
    "id",
    "rule",
    "article",
    "alert",
    "story",
    "key",
    "severity",
    "link",
    "state",
    "value",
    "unit",
)

_WRITE_LOCK = threading.Lock()
# apprise collects this logger's records per notification, so a failure's reason reaches the outbox row
_APPRISE_LOG = logging.getLogger("apprise")


def path_problem(url: str) -> str | None:
    """Why ``url`` is not a usable jsonl channel, or None."""
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith("/") or parts.path.endswith("/"):
        return (
            "a jsonl channel needs an absolute file path after three slashes, e.g. jsonl:///var/alerts.jsonl"
        )
    return None


def send(body: str, title: str, notify_type: str, *args: Any, meta: dict[str, Any], **kwargs: Any) -> bool:
    """apprise's custom-notification hook: append the alert as one JSON line."""
    path = _path_of(meta)
    body_format = kwargs.get("body_format")
    line: dict[str, Any] = {
        "title": title,
        "body": body,
        "type": notify_type,
        "format": getattr(body_format, "value", body_format),
    }
    query = meta.get("qsd") or {}
    line.update({name: query[name] for name in ALERT_FIELDS if query.get(name)})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _WRITE_LOCK, path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as exc:
        _APPRISE_LOG.warning("cannot append to %s: %s", path, exc.strerror or exc)
        return False
    return True


def _path_of(meta: dict[str, Any]) -> Path:
    """apprise reads ``jsonl:///var/a.jsonl`` as host "var" and path "/a.jsonl": put them back together."""
    host = unquote(str(meta.get("host") or ""))
    fullpath = unquote(str(meta.get("fullpath") or ""))
    return Path("/" + host + fullpath) if host else Path(fullpath or "/")
