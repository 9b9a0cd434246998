"""Polling against a real local HTTP server, on SQLite and PostgreSQL: what a publisher does, what we store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import pipeline, storage
from tests.pipeline.harness import NOW, rows, running, scalar, write_settings
from tests.support.feed_server import FeedServer


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://news.example/{guid}</link><guid>{guid}</guid>"
        "<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate></item>"
        for guid, title in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def feed_row(context: pipeline.PipelineContext, url: str) -> storage.FeedRecord:
    record = storage.get_feed(context.db, url)
    assert record is not None
    return record


async def test_a_new_feed_is_stored_then_answered_304_with_its_validators(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route(
        "/a.xml",
        body=rss(("a1", "One"), ("a2", "Two")),
        etag='"e1"',
        last_modified="Sun, 01 Mar 2026 10:00:00 GMT",
    )
    settings = write_settings(tmp_path, database_url, feeds=[url])
    async with running(settings) as context:
        first = await pipeline.poll_due_feeds(context, NOW)
        assert (first.feeds, first.new_articles) == (1, 2)
        assert scalar(context, "select count(*) from articles") == 2

        second = await pipeline.poll_due_feeds(context, NOW + timedelta(days=1))
        assert (second.feeds, second.not_modified, second.new_articles) == (1, 1, 0)
        headers = server.requests_to("/a.xml")[-1].headers
        assert headers["if-none-match"] == '"e1"'
        assert headers["if-modified-since"] == "Sun, 01 Mar 2026 10:00:00 GMT"

        server.route("/a.xml", body=rss(("a3", "Three"), ("a1", "One"), ("a2", "Two")), etag='"e2"')
        third = await pipeline.poll_due_feeds(context, NOW + timedelta(days=2))
        assert third.new_articles == 1
        titles = [r[0] for r in rows(context, "select title from articles order by id")]
        assert titles == ["One", "Two", "Three"] or sorted(titles) == ["One", "Three", "Two"]
        assert feed_row(context, url).etag == '"e2"'


async def test_a_feed_is_not_polled_before_its_interval(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/a.xml", body=rss(("a1", "One")))
    settings = write_settings(tmp_path, database_url, feeds=[url])
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        again = await pipeline.poll_due_feeds(context, NOW + timedelta(seconds=60))
        assert again.feeds == 0
        record = feed_row(context, url)
        assert record.next_poll_at is not None
        # 300 s interval with 10 % jitter
        assert timedelta(seconds=270) <= record.next_poll_at - NOW <= timedelta(seconds=330)


async def test_a_permanent_redirect_moves_the_feed_after_three_consistent_polls(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    new_url = server.route("/new.xml", body=rss(("r1", "Moved")))
    old_url = server.redirect("/old.xml", "/new.xml", status=301)
    settings = write_settings(tmp_path, database_url, feeds=[old_url])
    async with running(settings) as context:
        for day in range(2):
            await pipeline.poll_due_feeds(context, NOW + timedelta(days=day))
            record = feed_row(context, old_url)
            assert (record.redirect_candidate, record.redirect_count) == (new_url, day + 1)
        await pipeline.poll_due_feeds(context, NOW + timedelta(days=2))
        assert storage.get_feed(context.db, old_url) is None
        moved = feed_row(context, new_url)
        assert moved.moved_from == old_url
        assert scalar(context, "select count(*) from articles") == 1


async def test_a_temporary_redirect_never_moves_the_feed(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    server.route("/new.xml", body=rss(("r1", "Moved")))
    old_url = server.redirect("/old.xml", "/new.xml", status=302)
    settings = write_settings(tmp_path, database_url, feeds=[old_url])
    async with running(settings) as context:
        for day in range(4):
            await pipeline.poll_due_feeds(context, NOW + timedelta(days=day))
        assert feed_row(context, old_url).redirect_count == 0


async def test_410_gone_deactivates_the_feed_and_says_so(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/gone.xml", status=410, body=b"gone")
    settings = write_settings(tmp_path, database_url, feeds=[url])
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        assert report.outcomes[0].status == "gone"
        record = feed_row(context, url)
        assert record.status == "gone"
        assert "410" in (record.last_error or "")
        assert (await pipeline.poll_due_feeds(context, NOW + timedelta(days=30))).feeds == 0


async def test_429_retry_after_is_honoured_and_errors_back_off(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/busy.xml", status=429, headers={"Retry-After": "7200"})
    settings = write_settings(tmp_path, database_url, feeds=[url])
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        record = feed_row(context, url)
        assert record.error_count == 1
        assert record.next_poll_at is not None and record.next_poll_at - NOW >= timedelta(seconds=7200)

        server.route("/busy.xml", status=500)
        later = record.next_poll_at
        await pipeline.poll_due_feeds(context, later)
        record = feed_row(context, url)
        assert record.error_count == 2
        assert "500" in (record.last_error or "")

        server.route("/busy.xml", body=rss(("b1", "Back")))
        assert record.next_poll_at is not None
        await pipeline.poll_due_feeds(context, record.next_poll_at)
        record = feed_row(context, url)
        assert (record.error_count, record.last_error) == (0, None)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"delay_s": 2.5, "body": b"<rss/>"}, "timed out"),
        ({"body": b"x" * 11_000_000}, "larger than"),
    ],
    ids=["slow", "oversize"],
)
async def test_limits_are_recorded_on_the_feed_and_other_feeds_go_on(
    tmp_path: Path, server: FeedServer, database_url: str, route: dict[str, object], reason: str
) -> None:
    bad = server.route("/bad.xml", **route)  # type: ignore[arg-type]
    good = server.route("/good.xml", body=rss(("g1", "Good")))
    settings = write_settings(tmp_path, database_url, feeds=[bad, good], timeout_s=1.5)
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        assert report.new_articles == 1
        assert reason in (feed_row(context, bad).last_error or "")


async def test_a_redirect_loop_is_an_error_on_the_feed(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    server.redirect("/a.xml", "/b.xml", status=301)
    url_b = server.redirect("/b.xml", "/a.xml", status=301)
    settings = write_settings(tmp_path, database_url, feeds=[url_b])
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        assert "redirect loop" in (feed_row(context, url_b).last_error or "")


async def test_gzip_bodies_are_read_whether_or_not_the_server_says_so(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    import gzip

    declared = server.route("/declared.xml", body=rss(("z1", "Zipped")), encoding="gzip")
    undeclared = server.route("/undeclared.xml", body=gzip.compress(rss(("z2", "Raw gzip"))))
    settings = write_settings(tmp_path, database_url, feeds=[declared, undeclared])
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        assert (report.new_articles, report.errors) == (2, 0)
