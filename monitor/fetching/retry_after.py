"""Retry-After (RFC 9110 §10.2.3): how long a 429/503 publisher asks us to wait.

Pure, so the poller's back-off can be tested without a server: the value is either delta-seconds or an
HTTP-date, and an HTTP-date is turned into seconds relative to the ``now`` the caller passes in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

# Longer waits read as this: ``99999999999999999999`` must not overflow the poller's date arithmetic (the
# poller caps the wait again, at its back-off maximum).
MAX_RETRY_AFTER_S: Final = 366 * 24 * 3600.0


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait, or None when the header is absent or unreadable (the caller's own back-off applies).

    A date in the past means "now" (0.0), never a negative wait; any wait is at most ``MAX_RETRY_AFTER_S``.
    A naive ``now`` or date is read as UTC.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0") or "0"
        # int() refuses more than 4300 digits, and float() a number past 1e308: judge long ones by length
        return MAX_RETRY_AFTER_S if len(digits) > 12 else min(float(int(digits)), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(text)
        wait = (_aware(when) - _aware(now)).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, wait), MAX_RETRY_AFTER_S)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
