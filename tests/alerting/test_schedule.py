"""When a subscriber hears about an alert: now, at their digest, or when their quiet hours end."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from monitor.alerting import Hold, hold_for

from .builders import subscriber

QUIET = {"quiet_hours": {"start": "22:00", "end": "07:00"}, "timezone": "Europe/Berlin"}


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# (case, subscriber settings, severity, now, expected)
CASES: list[tuple[str, dict[str, Any], str, datetime, Hold | None]] = [
    ("immediate, no quiet hours", {}, "high", utc(2025, 10, 23, 2, 0), None),
    (
        "inside quiet hours before midnight",
        QUIET,
        "high",
        utc(2025, 10, 23, 21, 0),
        Hold(utc(2025, 10, 24, 5, 0), "quiet hours"),
    ),
    (
        "inside quiet hours after midnight",
        QUIET,
        "high",
        utc(2025, 10, 23, 2, 0),
        Hold(utc(2025, 10, 23, 5, 0), "quiet hours"),
    ),
    ("outside quiet hours", QUIET, "high", utc(2025, 10, 23, 12, 0), None),
    ("quiet hours end exactly now", QUIET, "high", utc(2025, 10, 23, 5, 0), None),
    (
        "critical bypasses when chosen",
        {**QUIET, "critical_bypass": True},
        "critical",
        utc(2025, 10, 23, 2, 0),
        None,
    ),
    (
        "critical waits when not chosen",
        QUIET,
        "critical",
        utc(2025, 10, 23, 2, 0),
        Hold(utc(2025, 10, 23, 5, 0), "quiet hours"),
    ),
    (
        "bypass is for critical only",
        {**QUIET, "critical_bypass": True},
        "high",
        utc(2025, 10, 23, 2, 0),
        Hold(utc(2025, 10, 23, 5, 0), "quiet hours"),
    ),
    (
        "digest: the next firing",
        {"mode": "digest", "timezone": "Europe/Berlin"},
        "high",
        utc(2025, 10, 23, 12, 0),
        Hold(utc(2025, 10, 24, 6, 0), "digest"),
    ),
    (
        "digest inside quiet hours waits for their end",
        {**QUIET, "mode": "digest", "digest_schedule": "0 6 * * *"},
        "low",
        utc(2025, 10, 23, 12, 0),
        Hold(utc(2025, 10, 24, 5, 0), "digest"),
    ),
    (
        "digest subscriber with critical bypass",
        {"mode": "digest", "critical_bypass": True},
        "critical",
        utc(2025, 10, 23, 12, 0),
        None,
    ),
    (
        "same day window",
        {"quiet_hours": {"start": "12:00", "end": "14:00"}},
        "high",
        utc(2025, 10, 23, 13, 0),
        Hold(utc(2025, 10, 23, 14, 0), "quiet hours"),
    ),
]


@pytest.mark.parametrize(
    ("settings", "severity", "now", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_when_an_alert_goes_out(
    settings: dict[str, Any], severity: str, now: datetime, expected: Hold | None
) -> None:
    assert hold_for(subscriber(**settings), severity, now) == expected
