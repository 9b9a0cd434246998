"""Fetcher.fetch_page: article pages for full text, under the same limits as feeds, against a real server."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from monitor.errors import FeedGoneError, FetchError
from monitor.fetching import Fetcher, FetchLimits
from tests.support.feed_server import FeedServer

PAGE = b"<!DOCTYPE html><html><body><article><p>The summit was called off.</p></article></body></html>"
# the test server is on loopback, which article pages may only reach when allow-listed
LOOPBACK = ("127.0.0.1",)
QUICK = FetchLimits(timeout_s=2.0, connect_timeout_s=1.0, allow_private=LOOPBACK)


async def fetch_page_error(url: str, now: datetime, limits: FetchLimits = QUICK) -> FetchError:
    async with Fetcher(limits) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch_page(url, now)
    return caught.value


async def test_a_page_is_fetched_asking_for_html_and_unconditionally(
    feed_server: FeedServer, now: datetime
) -> None:
    url = feed_server.route("/world/summit", body=PAGE, content_type="text/html; charset=utf-8", etag='"p1"')

    async with Fetcher(QUICK) as fetcher:
        first = await fetcher.fetch_page(url, now)
        second = await fetcher.fetch_page(url, now)

    assert (first.status, first.body, first.content_type) == (200, PAGE, "text/html; charset=utf-8")
    assert (first.url, first.final_url, first.fetched_at) == (url, url, now)
    assert second.body == PAGE  # no If-None-Match: a page is read whole every time
    sent = feed_server.requests_to("/world/summit")[-1].headers
    assert sent["accept"].startswith("text/html")
    assert "if-none-match" not in sent and "if-modified-since" not in sent


async def test_redirects_are_followed_to_the_article(feed_server: FeedServer, now: datetime) -> None:
    feed_server.route("/a/123", body=PAGE, content_type="text/html")
    short = feed_server.redirect("/s/abc", "/a/123", status=302)

    async with Fetcher(QUICK) as fetcher:
        result = await fetcher.fetch_page(short, now)

    assert (result.final_url, result.body) == (feed_server.url("/a/123"), PAGE)


async def test_an_error_status_is_a_fetch_error_with_the_status(
    feed_server: FeedServer, now: datetime
) -> None:
    url = feed_server.route("/missing", status=404, body=b"not here", content_type="text/plain")

    error = await fetch_page_error(url, now)

    assert (error.url, error.status, error.reason) == (url, 404, "HTTP 404 Not Found")


async def test_a_gone_page_is_a_plain_fetch_error_never_feed_gone(
    feed_server: FeedServer, now: datetime
) -> None:
    url = feed_server.route("/removed", status=410)

    error = await fetch_page_error(url, now)

    assert not isinstance(error, FeedGoneError)
    assert (error.url, error.status, error.reason) == (url, 410, "HTTP 410 Gone")
    assert isinstance(error.__cause__, FeedGoneError)


async def test_the_body_size_cap_applies(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/huge", body=b"<p>" + b"x" * 5000 + b"</p>", content_type="text/html")

    error = await fetch_page_error(
        url, now, FetchLimits(timeout_s=2.0, max_body_bytes=1000, allow_private=LOOPBACK)
    )

    assert error.reason == "body larger than 1000 bytes"


async def test_the_timeout_applies(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/slow", body=PAGE, content_type="text/html", delay_s=2.0)

    error = await fetch_page_error(
        url, now, FetchLimits(timeout_s=0.3, connect_timeout_s=0.3, allow_private=LOOPBACK)
    )

    assert error.reason == "timed out after 0.3 s"


@pytest.mark.parametrize("scheme", ["file://", "ftp://", "javascript:", ""])
async def test_only_http_and_https_links_are_followed(scheme: str, tmp_path: Path, now: datetime) -> None:
    secret = tmp_path / "secret.html"
    secret.write_bytes(PAGE)  # a feed's link must never make us read a local file
    url = f"{scheme}{secret}"

    error = await fetch_page_error(url, now)

    assert (error.url, error.reason) == (url, "not an http(s):// URL")


async def test_the_per_host_limit_bounds_concurrent_pages(feed_server: FeedServer, now: datetime) -> None:
    for number in range(6):
        feed_server.route(f"/p/{number}", body=PAGE, content_type="text/html", delay_s=0.1)
    limits = FetchLimits(timeout_s=5.0, per_host_concurrency=2, total_concurrency=10, allow_private=LOOPBACK)

    async with Fetcher(limits) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch_page(feed_server.url(f"/p/{number}"), now) for number in range(6))
        )

    assert [result.body for result in results] == [PAGE] * 6
    assert feed_server.max_in_flight == 2
