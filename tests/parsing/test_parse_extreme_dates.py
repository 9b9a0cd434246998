"""Dates past what ``datetime`` holds in UTC, or outside any web feed's life, read as no date: the entry is
kept, dated at its fetch time and flagged ``date_is_fallback`` (they used to raise ``OverflowError`` out of
the whole poll cycle: issue 8 item 5). Its neighbours keep their real dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor import parsing
from monitor.parsing.dates import parse_date

FETCHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GOOD = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

EXTREME_ISO = [
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "2999-01-01T00:00:00Z",
]
EXTREME_RFC822 = [
    "Fri, 31 Dec 9999 23:59:59 -2359",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sat, 01 Jan 1000 00:00:00 +2359",
]


@pytest.mark.parametrize("text", EXTREME_ISO + EXTREME_RFC822)
def test_an_out_of_range_date_is_no_date(text: str) -> None:
    assert parse_date(text) is None


def rss(date: str) -> bytes:
    return (
        '<rss version="2.0"><channel><title>T</title>'
        f"<item><title>Bad</title><guid>bad</guid><pubDate>{date}</pubDate></item>"
        "<item><title>Good</title><guid>good</guid><pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate></item>"
        "</channel></rss>"
    ).encode()


def atom(date: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>'
        f"<entry><title>Bad</title><id>bad</id><published>{date}</published><updated>{date}</updated></entry>"
        "<entry><title>Good</title><id>good</id><updated>2026-03-01T10:00:00Z</updated></entry>"
        "</feed>"
    ).encode()


def json_feed(date: str) -> bytes:
    return (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": ['
        f'{{"id": "bad", "title": "Bad", "content_text": "x", "date_published": "{date}", '
        f'"date_modified": "{date}"}},'
        '{"id": "good", "title": "Good", "content_text": "y", "date_published": "2026-03-01T10:00:00Z"}]}'
    ).encode()


CASES = [
    *[pytest.param(rss, d, id=f"rss {d}") for d in EXTREME_RFC822 + EXTREME_ISO[:1]],
    *[pytest.param(atom, d, id=f"atom {d}") for d in EXTREME_ISO],
    *[pytest.param(json_feed, d, id=f"json {d}") for d in EXTREME_ISO],
]


@pytest.mark.parametrize(("build", "date"), CASES)
def test_an_extreme_date_keeps_the_entry_and_flags_it(build: object, date: str) -> None:
    assert callable(build)
    result = parsing.parse_feed(build(date), url="https://news.example/feed", fetched_at=FETCHED)
    by_title = {entry.title: entry for entry in result.entries}
    assert set(by_title) == {"Bad", "Good"}
    assert (by_title["Bad"].published_at, by_title["Bad"].date_is_fallback) == (FETCHED, True)
    assert (by_title["Good"].published_at, by_title["Good"].date_is_fallback) == (GOOD, False)
