"""A poll cycle survives what one feed does to it (issue 8 items 1, 2 and 5), on SQLite and PostgreSQL.

- An HTML page parsed in the real worker pool next to good feeds: the good ones are stored, the bad one's
  real reason is recorded (its unpicklable ParseError used to break the pool: "the parser process died").
- Extreme dates and Retry-After values: recorded or clamped, the cycle goes on.
- An unexpected exception in one feed's poll is recorded against that feed; the others are stored.
- ``every_feed`` with more feeds than ``batch_size`` polls each feed once and returns.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import pipeline, storage
from monitor.daemon.workers import RestartingPool
from monitor.domain import FeedSource
from monitor.settings import Settings
from tests.pipeline.harness import NOW, rows, running, scalar, write_settings
from tests.support.feed_server import FeedServer

GOOD_FEEDS = 6
ITEMS_PER_FEED = 300  # enough parsing that the good feeds are still in the pool when the bad one fails
HTML = b"<!DOCTYPE html><html><head><title>Login required</title></head><body>Sign in</body></html>"


def rss(name: str, items: int = 3, date: str = "Sun, 01 Mar 2026 10:00:00 +0000") -> bytes:
    body = "".join(
        f"<item><title>{name} story {n}</title><link>https://news.example/{name}/{n}</link>"
        f"<guid>{name}-{n}</guid><pubDate>{date}</pubDate><description>Text {n} of {name}.</description></item>"
        for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{body}</channel></rss>'.encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


@asynccontextmanager
async def pooled(settings: Settings) -> AsyncIterator[pipeline.PipelineContext]:
    """A context that parses in a real pool of two worker processes, as the daemon does."""
    pool = RestartingPool(2)
    try:
        async with pipeline.open_context(settings, pool) as context:
            pipeline.sync_feeds(context, NOW)
            yield context
    finally:
        pool.shutdown(wait=True)


def last_errors(context: pipeline.PipelineContext) -> dict[str, str | None]:
    return {row[0]: row[1] for row in rows(context, "select url, last_error from feeds")}


async def test_an_html_page_in_the_pool_fails_alone_with_its_reason(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    good = [server.route(f"/good{n}.xml", body=rss(f"g{n}", ITEMS_PER_FEED)) for n in range(GOOD_FEEDS)]
    bad = server.route("/login", body=HTML, content_type="text/html")
    settings = write_settings(tmp_path, database_url, feeds=[*good[:3], bad, *good[3:]])
    async with pooled(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        errors = last_errors(context)
        stored = scalar(context, "select count(*) from articles")
    assert {url: errors[url] for url in good} == dict.fromkeys(good)
    assert errors[bad] == f"{bad}: an HTML page, not a feed (title: 'Login required')"
    assert (report.feeds, report.errors, stored) == (GOOD_FEEDS + 1, 1, GOOD_FEEDS * ITEMS_PER_FEED)


async def test_a_parser_crash_in_the_pool_is_recorded_as_a_parse_error(
    tmp_path: Path, server: FeedServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A non-newsmon exception out of the parser (here injected) must not reach the pool boundary raw."""
    url = server.route("/a.xml", body=rss("a"))
    settings = write_settings(tmp_path, database_url, feeds=[url])

    def explode(*args: object, **kwargs: object) -> object:
        raise KeyError("a key feedparser did not expect")

    monkeypatch.setattr("monitor.parsing.job.parse_feed_with_stats", explode)
    async with running(settings) as context:  # inline parsing: the monkeypatch reaches the parser
        report = await pipeline.poll_due_feeds(context, NOW)
        error = last_errors(context)[url]
    assert report.errors == 1
    assert error == f"{url}: the parser failed: KeyError: 'a key feedparser did not expect'"


@pytest.mark.parametrize(
    "bad_body",
    [
        pytest.param(
            b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "x", '
            b'"content_text": "extreme", "date_published": "9999-12-31T23:59:59-23:59"}]}',
            id="json feed",
        ),
        pytest.param(rss("r", 1, date="Fri, 31 Dec 9999 23:59:59 -2359"), id="rss"),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><entry><id>x</id>'
            b"<title>extreme</title><updated>9999-12-31T23:59:59-23:59</updated></entry></feed>",
            id="atom",
        ),
    ],
)
async def test_an_extreme_date_is_stored_as_a_fallback_date_and_the_cycle_goes_on(
    tmp_path: Path, server: FeedServer, database_url: str, bad_body: bytes
) -> None:
    good = server.route("/good.xml", body=rss("good"))
    extreme = server.route("/extreme", body=bad_body)
    settings = write_settings(tmp_path, database_url, feeds=[good, extreme])
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        fallback = rows(
            context,
            "select a.published_at, a.date_is_fallback from articles a join feeds f on f.id = a.feed_id "
            "where f.url = :url",
            url=extreme,
        )
        stored = scalar(context, "select count(*) from articles")
    assert (report.feeds, report.errors, stored) == (2, 0, 4)
    assert [bool(row[1]) for row in fallback] == [True]


async def test_a_huge_retry_after_backs_off_at_most_the_backoff_maximum(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    busy = server.route("/busy", status=503, headers={"Retry-After": "99999999999999999999"})
    good = server.route("/good.xml", body=rss("good"))
    settings = write_settings(tmp_path, database_url, feeds=[busy, good])
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        record = storage.get_feed(context.db, busy)
        stored = scalar(context, "select count(*) from articles")
    assert (report.feeds, report.errors, stored) == (2, 1, 3)
    assert record is not None and record.next_poll_at is not None
    assert record.next_poll_at - NOW == timedelta(seconds=settings.polling.backoff_max_s)


async def test_an_unexpected_error_is_recorded_against_its_feed_and_the_others_go_on(
    tmp_path: Path, server: FeedServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: ``add_full_text`` raises a bare OverflowError for one feed, as a bug would."""
    cursed = server.route("/cursed.xml", body=rss("cursed"))
    good = server.route("/good.xml", body=rss("good"))
    settings = write_settings(tmp_path, database_url, feeds=[cursed, good])
    real = pipeline.polling.add_full_text

    async def flaky(context: pipeline.PipelineContext, feed: FeedSource, *args: object) -> object:
        if feed.url == cursed:
            raise OverflowError("date value out of range")
        return await real(context, feed, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.polling, "add_full_text", flaky)
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        errors = last_errors(context)
        record = storage.get_feed(context.db, cursed)
        stored = scalar(context, "select count(*) from articles")
    assert (report.feeds, report.errors, stored) == (2, 1, 3)
    assert errors[good] is None
    assert errors[cursed] == (
        f"{cursed}: unexpected OverflowError while polling (date value out of range): "
        "please report this newsmon bug"
    )
    assert record is not None and record.error_count == 1


async def test_every_feed_polls_each_feed_once_across_batches(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    urls = [server.route(f"/f{n}.xml", body=rss(f"f{n}", 1)) for n in range(7)]
    settings = write_settings(tmp_path, database_url, feeds=urls, extra="")
    settings = settings.model_copy(update={"polling": settings.polling.model_copy(update={"batch_size": 3})})
    async with running(settings) as context:
        report = await asyncio.wait_for(pipeline.poll_due_feeds(context, NOW, every_feed=True), 30)
        again = await asyncio.wait_for(
            pipeline.poll_due_feeds(context, NOW + timedelta(seconds=1), every_feed=True), 30
        )
    assert report.feeds == 7 and again.feeds == 7
    assert set(Counter(r.path for r in server.requests).values()) == {2}
