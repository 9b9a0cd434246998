"""Canonical links and dates: the two fields that make entries comparable across feeds and polls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.parsing.dates import parse_date
from monitor.parsing.links import canonical_link

LINK_CASES = [
    ("absolute link unchanged", "https://news.example/a/b?id=3", None, "https://news.example/a/b?id=3"),
    ("relative to the base", "/story/1", "https://news.example/feed.xml", "https://news.example/story/1"),
    ("relative path", "story/1", "https://news.example/feeds/x.xml", "https://news.example/feeds/story/1"),
    ("fragment dropped", "https://news.example/a#comments", None, "https://news.example/a"),
    (
        "utm parameters dropped, others kept as written",
        "https://news.example/a?utm_source=rss&id=7&UTM_Medium=x&q=a%20b",
        None,
        "https://news.example/a?id=7&q=a%20b",
    ),
    (
        "only utm parameters: no query left",
        "https://news.example/a?utm_campaign=z",
        None,
        "https://news.example/a",
    ),
    ("scheme and host lower-cased", "HTTPS://News.Example/Path", None, "https://news.example/Path"),
    ("empty path becomes /", "https://news.example", None, "https://news.example/"),
    ("whitespace trimmed", "  https://news.example/a \n", None, "https://news.example/a"),
    ("relative without base is no link", "/story/1", None, None),
    ("non-web scheme is no link", "tag:news.example,2024:1", "https://news.example/", None),
    ("javascript is no link", "javascript:alert(1)", "https://news.example/", None),
    ("empty is no link", "", "https://news.example/", None),
]


@pytest.mark.parametrize(
    ("href", "base", "expected"), [c[1:] for c in LINK_CASES], ids=[c[0] for c in LINK_CASES]
)
def test_canonical_link(href: str, base: str | None, expected: str | None) -> None:
    assert canonical_link(href, base) == expected


DATE_CASES = [
    ("RFC 822 with offset", "Mon, 26 Jun 2017 15:26:03 -0400", datetime(2017, 6, 26, 19, 26, 3, tzinfo=UTC)),
    ("RFC 822 GMT", "Mon, 26 Jun 2017 12:20:05 GMT", datetime(2017, 6, 26, 12, 20, 5, tzinfo=UTC)),
    ("RFC 822 US zone", "Wed, 17 Jan 2018 15:50:00 EST", datetime(2018, 1, 17, 20, 50, tzinfo=UTC)),
    ("RFC 822 European zone", "Tue, 01 Jul 2025 10:00:00 CEST", datetime(2025, 7, 1, 8, 0, tzinfo=UTC)),
    ("RFC 3339 with offset", "2021-03-05T13:04:04+02:00", datetime(2021, 3, 5, 11, 4, 4, tzinfo=UTC)),
    ("RFC 3339 Z", "2017-06-26T10:22:00Z", datetime(2017, 6, 26, 10, 22, tzinfo=UTC)),
    ("half-hour zone", "2024-02-29T23:45:00+05:30", datetime(2024, 2, 29, 18, 15, tzinfo=UTC)),
    ("crosses the date line", "2024-01-01T01:00:00+14:00", datetime(2023, 12, 31, 11, 0, tzinfo=UTC)),
    ("no zone means UTC", "2024-05-01T08:00:00", datetime(2024, 5, 1, 8, 0, tzinfo=UTC)),
    ("Portuguese names", "Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),
    ("German names", "Mi, 03 Mär 2021 08:00:00 +0100", datetime(2021, 3, 3, 7, 0, tzinfo=UTC)),
    ("French names", "mar., 10 déc. 2019 09:30:00 +0100", datetime(2019, 12, 10, 8, 30, tzinfo=UTC)),
    ("garbage", "yesterday-ish", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_parse_date_in_utc(text: str, expected: datetime | None) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC
