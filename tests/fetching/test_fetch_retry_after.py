"""Retry-After is delta-seconds or an HTTP-date; anything else means "use your own back-off"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.fetching import parse_retry_after
from monitor.fetching.retry_after import MAX_RETRY_AFTER_S

NOW = datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("0", 0.0),
        ("Wed, 15 Jan 2025 12:01:30 GMT", 90.0),  # IMF-fixdate
        ("Wednesday, 15-Jan-25 12:01:30 GMT", 90.0),  # obsolete RFC 850 form
        ("Wed Jan 15 12:01:30 2025", 90.0),  # obsolete asctime form, read as UTC
        ("Wed, 15 Jan 2025 11:00:00 GMT", 0.0),  # in the past: retry now, never a negative wait
        (None, None),
        ("", None),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("Wed, 99 Foo 2025 12:00:00 GMT", None),
        ("٣", None),  # a Unicode digit is not an HTTP delta-seconds
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_naive_now_is_read_as_utc() -> None:
    assert parse_retry_after("Wed, 15 Jan 2025 12:00:10 GMT", NOW.replace(tzinfo=None)) == 10.0


@pytest.mark.parametrize(
    "header",
    [
        "99999999999999999999",  # float(int()) is fine; timedelta(seconds=1e20) overflowed the poller
        "9" * 5000,  # int() refuses strings past 4300 digits
        "1" + "0" * 400,  # float() refuses ints past 1e308
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ],
    ids=["20 digits", "5000 digits", "past float", "year 9999"],
)
def test_a_huge_wait_is_capped(header: str) -> None:
    assert parse_retry_after(header, NOW) == MAX_RETRY_AFTER_S
