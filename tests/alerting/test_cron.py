"""Digest schedules: five-field cron read on the subscriber's wall clock, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.alerting.cron import CronSyntaxError, parse_cron

BERLIN = ZoneInfo("Europe/Berlin")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "after", "fires"),
    [
        ("0 8 * * *", utc(2025, 10, 23, 5, 0), utc(2025, 10, 23, 6, 0)),  # 08:00 CEST = 06:00 UTC
        ("0 8 * * *", utc(2025, 10, 23, 6, 0), utc(2025, 10, 24, 6, 0)),  # strictly after
        ("0 8 * * *", utc(2025, 10, 25, 7, 0), utc(2025, 10, 26, 7, 0)),  # 08:00 CET after the change
        ("30 7 * * mon-fri", utc(2025, 10, 24, 6, 0), utc(2025, 10, 27, 6, 30)),  # Friday → Monday
        ("*/15 * * * *", utc(2025, 10, 23, 5, 7), utc(2025, 10, 23, 5, 15)),
        ("0 9,17 * * *", utc(2025, 10, 23, 8, 0), utc(2025, 10, 23, 15, 0)),  # 17:00 CEST
        ("0 0 1 * *", utc(2025, 10, 23, 0, 0), utc(2025, 10, 31, 23, 0)),  # 1 Nov 00:00 CET
        ("@daily", utc(2025, 7, 1, 12, 0), utc(2025, 7, 1, 22, 0)),
        ("0 8 13 * fri", utc(2025, 6, 1, 0, 0), utc(2025, 6, 6, 6, 0)),  # either day field (Vixie)
        ("0 12 * jan 0", utc(2025, 6, 1, 0, 0), utc(2026, 1, 4, 11, 0)),  # Sundays in January
        ("30 2 * * *", utc(2025, 3, 30, 0, 0), utc(2025, 3, 30, 1, 30)),  # 02:30 does not exist that day
    ],
)
def test_next_firing_in_local_time(expression: str, after: datetime, fires: datetime) -> None:
    assert parse_cron(expression).next_after(after, BERLIN) == fires


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 8 * *", "5 fields"),
        ("61 8 * * *", "minute: 61 is outside 0-59"),
        ("0 8 * * funday", "day of week: 'funday' is not a number"),
        ("0 17-9 * * *", "hour: range '17-9' runs backwards"),
        ("*/0 * * * *", "minute: 0 is outside 1-59"),
        ("0 0 30 feb *", "never fires"),
    ],
)
def test_a_broken_schedule_says_which_field(expression: str, message: str) -> None:
    with pytest.raises(CronSyntaxError, match=message):
        parse_cron(expression)
