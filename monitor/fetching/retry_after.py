"""Retry-After (RFC 9110 §10.2.3): how long a 429/503 publisher asks us to wait.

Pure, so the poller's back-off can be tested without a server: the value is either delta-seconds or an
HTTP-date, and an HTTP-date is turned into seconds relative to the ``now`` the caller passes in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait, or None when the header is absent or unreadable (the caller's own back-off applies).

    A date in the past means "now" (0.0), never a negative wait. A naive ``now`` or date is read as UTC.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, (_aware(when) - _aware(now)).total_seconds())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
