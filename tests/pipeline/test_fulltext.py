"""Optional full text: a summary-only feed with ``fetch_full_text: true`` gets its articles' pages read.

A real FeedServer publishes the feed and the article pages; polling stores the page's main text as the
article's content, on SQLite and PostgreSQL. A page that fails never costs the article.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import pipeline
from tests.pipeline.harness import NOW, rows, running, write_settings
from tests.support.feed_server import FeedServer

STORY = (
    "<p>The planned summit in Budapest between the two leaders was called off on Tuesday, officials said, "
    "after talks between their foreign ministers failed to narrow the differences.</p>"
    "<p>Hours later the Treasury announced sanctions against Rosneft and Lukoil, freezing their assets.</p>"
)


def page(paragraphs: str = STORY) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>News</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Summit called off</h1>{paragraphs}</article>"
        "<footer>Copyright 2026 News Ltd</footer></body></html>"
    ).encode()


def summary_feed(server: FeedServer, *guids: str, content: str = "") -> bytes:
    """RSS whose items carry a one-line description (and, if given, full content:encoded)."""
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    items = "".join(
        f"<item><title>Story {guid}</title><link>{server.url(f'/news/{guid}')}</link><guid>{guid}</guid>"
        f"<description>Summit off; sanctions on.</description>{encoded}"
        "<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate></item>"
        for guid in guids
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Wire</title>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def stored(context: pipeline.PipelineContext) -> dict[str, tuple[str, str]]:
    """guid → (summary, content) of every stored article."""
    return {
        r.guid: (r.summary, r.content) for r in rows(context, "select guid, summary, content from articles")
    }


def serve_pages(server: FeedServer, *guids: str) -> None:
    for guid in guids:
        server.route(f"/news/{guid}", body=page(), content_type="text/html; charset=utf-8")


async def test_summary_only_entries_get_their_pages_main_text_and_a_404_keeps_its_summary(
    tmp_path: Path, server: FeedServer, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/wire.xml", body=summary_feed(server, "a1", "a2", "gone"))
    serve_pages(server, "a1", "a2")  # /news/gone answers 404
    settings = write_settings(tmp_path, database_url, feeds=[url], full_text_feeds=[url])

    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        articles = stored(context)

    assert report.new_articles == 3 and report.errors == 0
    summary, content = articles["a1"]
    assert summary == "Summit off; sanctions on."
    assert content.startswith("Summit called off\nThe planned summit in Budapest")
    assert content.endswith("freezing their assets.")
    assert "Home" not in content and "Copyright" not in content
    assert articles["a2"][1] == content
    assert articles["gone"] == ("Summit off; sanctions on.", "")
    failures = [r for r in caplog.records if getattr(r, "action", None) == "fulltext.failed"]
    assert [(r.levelno, getattr(r, "link", None)) for r in failures] == [
        (logging.WARNING, server.url("/news/gone"))
    ]
    assert "HTTP 404" in getattr(failures[0], "error", "")


async def test_full_text_is_off_by_default(tmp_path: Path, server: FeedServer, database_url: str) -> None:
    url = server.route("/wire.xml", body=summary_feed(server, "a1"))
    serve_pages(server, "a1")
    settings = write_settings(tmp_path, database_url, feeds=[url])

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        assert stored(context) == {"a1": ("Summit off; sanctions on.", "")}

    assert server.requests_to("/news/a1") == ()


async def test_entries_whose_feed_carries_the_full_content_are_not_fetched(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    full = "<p>" + "The whole story as the publisher wrote it, in the feed itself. " * 5 + "</p>"
    url = server.route("/wire.xml", body=summary_feed(server, "a1", content=full))
    serve_pages(server, "a1")
    settings = write_settings(tmp_path, database_url, feeds=[url], full_text_feeds=[url])

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        assert stored(context)["a1"][1].startswith("The whole story as the publisher wrote it")

    assert server.requests_to("/news/a1") == ()


async def test_only_new_entries_are_fetched_on_the_next_poll(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/wire.xml", body=summary_feed(server, "a1"))
    serve_pages(server, "a1", "a2")
    settings = write_settings(tmp_path, database_url, feeds=[url], full_text_feeds=[url])

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        server.route("/wire.xml", body=summary_feed(server, "a2", "a1"))
        second = await pipeline.poll_due_feeds(context, NOW + timedelta(days=1))
        articles = stored(context)

    assert second.new_articles == 1
    assert articles["a2"][1].startswith("Summit called off")
    assert (len(server.requests_to("/news/a1")), len(server.requests_to("/news/a2"))) == (1, 1)


async def test_a_page_with_less_text_than_the_summary_keeps_the_summary(
    tmp_path: Path, server: FeedServer, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/wire.xml", body=summary_feed(server, "wall"))
    wall = b"<html><body><div class='paywall'><p>Subscribe to read.</p></div></body></html>"
    server.route("/news/wall", body=wall, content_type="text/html")
    settings = write_settings(tmp_path, database_url, feeds=[url], full_text_feeds=[url])

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        assert stored(context) == {"wall": ("Summit off; sanctions on.", "")}

    errors = [
        getattr(r, "error", "") for r in caplog.records if getattr(r, "action", None) == "fulltext.failed"
    ]
    assert errors == [f"{server.url('/news/wall')}: the page's text is no longer than the feed's summary"]


async def test_pages_are_fetched_concurrently_within_the_per_host_limit(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    guids = [f"p{number}" for number in range(12)]
    url = server.route("/wire.xml", body=summary_feed(server, *guids))
    for guid in guids:
        server.route(f"/news/{guid}", body=page(), content_type="text/html", delay_s=0.1)
    settings = write_settings(tmp_path, database_url, feeds=[url], full_text_feeds=[url])

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        contents = [content for _, content in stored(context).values()]

    assert len(contents) == 12 and all(c.startswith("Summit called off") for c in contents)
    assert 1 < server.max_in_flight <= settings.http.per_host_concurrency == 8


async def test_pages_not_read_within_the_full_text_budget_keep_their_summary(
    tmp_path: Path, server: FeedServer, sqlite_url: str
) -> None:
    # a slow page must not hold the feed's poll beyond the budget
    url = server.route("/wire.xml", body=summary_feed(server, "fast", "slow"))
    serve_pages(server, "fast")
    server.route("/news/slow", body=page(), content_type="text/html", delay_s=8.0)
    settings = write_settings(
        tmp_path, sqlite_url, feeds=[url], full_text_feeds=[url], extra="", timeout_s=20.0
    )
    settings = settings.model_copy(
        update={"polling": settings.polling.model_copy(update={"full_text_budget_s": 5})}
    )

    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        articles = stored(context)

    assert report.new_articles == 2
    assert articles["fast"][1].startswith("Summit called off")
    assert articles["slow"] == ("Summit off; sanctions on.", "")
