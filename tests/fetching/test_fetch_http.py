"""Fetcher against a real HTTP server on 127.0.0.1: every outcome a publisher can produce.

The server is ``tests.support.feed_server.FeedServer``; nothing in httpx is mocked.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from monitor.domain import FeedSource, FetchResult
from monitor.errors import FeedGoneError, FetchError
from monitor.fetching import Fetcher, FetchLimits, fetch_once
from tests.support.feed_server import FeedServer

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>World</title></channel></rss>"
ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 15 Jan 2025 10:00:00 GMT"
QUICK = FetchLimits(timeout_s=2.0, connect_timeout_s=1.0)


def feed(url: str, etag: str | None = None, last_modified: str | None = None) -> FeedSource:
    return FeedSource(url=url, name="world", interval_s=600, etag=etag, last_modified=last_modified)


async def fetch(source: FeedSource | str, now: datetime, limits: FetchLimits = QUICK) -> FetchResult:
    async with Fetcher(limits) as fetcher:
        return await fetcher.fetch(source if isinstance(source, FeedSource) else feed(source), now)


async def fetch_error(url: str, now: datetime, limits: FetchLimits = QUICK) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(url, now, limits)
    return caught.value


# -- success and conditional GET -------------------------------------------------------------------


async def test_200_returns_body_validators_and_metadata(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route(
        "/world.xml", body=RSS, etag=ETAG, last_modified=LAST_MODIFIED, content_type="application/rss+xml"
    )

    result = await fetch(url, now)

    assert (result.status, result.body, result.not_modified) == (200, RSS, False)
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.content_type == "application/rss+xml"
    assert (result.url, result.final_url, result.permanent_redirect) == (url, url, None)
    assert result.fetched_at == now
    assert 0 < result.elapsed_s < 2
    sent = feed_server.requests[0].headers
    assert sent["user-agent"] == QUICK.user_agent
    assert sent["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in sent
    assert "if-modified-since" not in sent


async def test_second_poll_sends_stored_validators_and_gets_304(
    feed_server: FeedServer, now: datetime
) -> None:
    url = feed_server.route("/world.xml", body=RSS, etag=ETAG, last_modified=LAST_MODIFIED)
    first = await fetch(url, now)

    second = await fetch(feed(url, etag=first.etag, last_modified=first.last_modified), now)

    assert (second.status, second.not_modified, second.body) == (304, True, None)
    assert (second.etag, second.last_modified) == (ETAG, LAST_MODIFIED)
    sent = feed_server.requests[1].headers
    assert (sent["if-none-match"], sent["if-modified-since"]) == (ETAG, LAST_MODIFIED)


async def test_connections_are_reused_across_304s_and_redirects(
    feed_server: FeedServer, now: datetime
) -> None:
    # a warm poll is hundreds of 304s: each must not cost a new TCP connection
    url = feed_server.route("/world.xml", body=RSS, etag=ETAG)
    moved = feed_server.redirect("/old.xml", "/world.xml", status=301)
    async with Fetcher(QUICK) as fetcher:
        for _ in range(5):
            assert (await fetcher.fetch(feed(url, etag=ETAG), now)).not_modified
        assert (await fetcher.fetch(feed(moved, etag=ETAG), now)).not_modified

    assert len(feed_server.requests) == 7
    assert feed_server.connections_opened == 1


async def test_304_by_last_modified_alone(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=RSS, last_modified=LAST_MODIFIED)

    result = await fetch(feed(url, last_modified=LAST_MODIFIED), now)

    assert (result.not_modified, result.etag, result.last_modified) == (True, None, LAST_MODIFIED)


async def test_304_without_validators_keeps_the_stored_ones(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=RSS, etag=ETAG, validators_on_304=False)

    result = await fetch(feed(url, etag=ETAG, last_modified=LAST_MODIFIED), now)

    assert result.not_modified
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)


async def test_changed_feed_returns_the_new_body(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=b"<rss>new</rss>", etag='"v2"')

    result = await fetch(feed(url, etag=ETAG), now)

    assert (result.status, result.body, result.etag) == (200, b"<rss>new</rss>", '"v2"')


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_body_is_decoded(feed_server: FeedServer, now: datetime, encoding: str) -> None:
    url = feed_server.route("/world.xml", body=RSS * 100, encoding=encoding)

    result = await fetch(url, now)

    assert result.body == RSS * 100


async def test_fetch_once_for_dry_runs(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=RSS)

    result = await fetch_once(url, QUICK, now)

    assert (result.status, result.body) == (200, RSS)


# -- redirects -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "permanent"),
    [
        ((301, 301), True),
        ((308,), True),
        ((301, 308), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),
        ((303, 301), False),
    ],
)
async def test_permanent_redirect_only_when_every_hop_is_permanent(
    feed_server: FeedServer, now: datetime, statuses: tuple[int, ...], permanent: bool
) -> None:
    target = feed_server.route("/feeds/world.xml", body=RSS)
    # each hop's Location is relative, as many publishers send it
    hops = [f"/hop{index}" for index in range(len(statuses))]
    for index, status in enumerate(statuses):
        next_path = hops[index + 1] if index + 1 < len(hops) else "/feeds/world.xml"
        feed_server.redirect(hops[index], next_path.lstrip("/"), status=status)

    result = await fetch(feed_server.url(hops[0]), now)

    assert (result.status, result.body, result.final_url) == (200, RSS, target)
    assert result.permanent_redirect == (target if permanent else None)
    assert [request.path for request in feed_server.requests] == [*hops, "/feeds/world.xml"]


async def test_redirect_loop(feed_server: FeedServer, now: datetime) -> None:
    start = feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/a")

    error = await fetch_error(start, now)

    assert error.reason == f"redirect loop at {start}"


async def test_too_many_redirects(feed_server: FeedServer, now: datetime) -> None:
    for index in range(4):
        feed_server.redirect(f"/r{index}", f"/r{index + 1}", status=301)
    feed_server.route("/r4", body=RSS)
    limits = FetchLimits(max_redirects=3, timeout_s=2.0)

    error = await fetch_error(feed_server.url("/r0"), now, limits)
    just_enough = await fetch(feed_server.url("/r1"), now, limits)

    assert error.reason == "too many redirects (more than 3)"
    assert just_enough.body == RSS


async def test_redirect_to_a_local_file_is_refused(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.redirect("/world.xml", "file:///etc/passwd", status=301)

    error = await fetch_error(url, now)

    assert error.reason == "redirect to unsupported scheme 'file'"


# -- error statuses --------------------------------------------------------------------------------


async def test_410_means_the_feed_is_gone(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", status=410)

    with pytest.raises(FeedGoneError) as caught:
        await fetch(url, now)

    assert (caught.value.status, caught.value.reason) == (410, "HTTP 410 Gone")


async def test_429_carries_retry_after_seconds(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", status=429, headers={"Retry-After": "120"})

    error = await fetch_error(url, now)

    assert (error.status, error.retry_after_s, error.reason) == (429, 120.0, "HTTP 429 Too Many Requests")


async def test_503_carries_retry_after_http_date(feed_server: FeedServer, now: datetime) -> None:
    retry_at = format_datetime(now + timedelta(seconds=90), usegmt=True)
    url = feed_server.route("/world.xml", status=503, headers={"Retry-After": retry_at})

    error = await fetch_error(url, now)

    assert (error.status, error.retry_after_s) == (503, 90.0)


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
async def test_other_error_statuses(feed_server: FeedServer, now: datetime, status: int, reason: str) -> None:
    url = feed_server.route("/world.xml", status=status, headers={"Retry-After": "60"})

    error = await fetch_error(url, now)

    assert (error.url, error.status, error.reason, error.retry_after_s) == (url, status, reason, None)


async def test_error_after_a_redirect_names_where_it_happened(feed_server: FeedServer, now: datetime) -> None:
    start = feed_server.redirect("/world.xml", "/moved.xml")
    feed_server.route("/moved.xml", status=404)

    error = await fetch_error(start, now)

    assert (error.url, error.reason) == (start, f"HTTP 404 Not Found at {feed_server.url('/moved.xml')}")


# -- time and size limits --------------------------------------------------------------------------


async def test_slow_response_times_out(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=RSS, delay_s=5.0)
    started = time.monotonic()

    error = await fetch_error(url, now, FetchLimits(timeout_s=0.3))

    assert error.reason == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.5
    assert isinstance(error.__cause__, httpx.ReadTimeout | TimeoutError)


async def test_slow_drip_hits_the_overall_deadline(feed_server: FeedServer, now: datetime) -> None:
    # every byte arrives well within the read timeout, but the whole body would take 3 s
    url = feed_server.route("/world.xml", body=b"x" * 60, chunk_size=1, drip_s=0.05)
    started = time.monotonic()

    error = await fetch_error(url, now, FetchLimits(timeout_s=0.4))

    assert error.reason == "timed out after 0.4 s"
    assert time.monotonic() - started < 1.5
    assert type(error.__cause__) is TimeoutError  # the overall deadline, not httpx's per-read timeout


async def test_declared_oversize_body_is_refused_unread(feed_server: FeedServer, now: datetime) -> None:
    # reading this body would take 10 s: the Content-Length alone must be enough to refuse it
    url = feed_server.route("/world.xml", body=b"x" * 5000, chunk_size=100, drip_s=0.2)
    started = time.monotonic()

    error = await fetch_error(url, now, FetchLimits(max_body_bytes=1000))

    assert (error.reason, error.status) == ("body larger than 1000 bytes", 200)
    assert time.monotonic() - started < 1.0


async def test_undeclared_oversize_body_is_cut_midway(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=b"x" * 5000, chunk_size=100, content_length=False)

    error = await fetch_error(url, now, FetchLimits(max_body_bytes=1000))

    assert error.reason == "body larger than 1000 bytes"


async def test_gzip_bomb_is_capped_on_decoded_bytes(feed_server: FeedServer, now: datetime) -> None:
    url = feed_server.route("/world.xml", body=bytes(5_000_000), encoding="gzip")  # ~5 KB on the wire

    error = await fetch_error(url, now, FetchLimits(max_body_bytes=1_000_000))

    assert error.reason == "body larger than 1000000 bytes"


# -- concurrency -----------------------------------------------------------------------------------


async def test_per_host_concurrency_is_respected(feed_server: FeedServer, now: datetime) -> None:
    urls = [feed_server.route(f"/feed{index}.xml", body=RSS, delay_s=0.1) for index in range(10)]

    async with Fetcher(FetchLimits(per_host_concurrency=2, total_concurrency=20)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(feed(url), now) for url in urls))

    assert [result.body for result in results] == [RSS] * 10
    assert feed_server.max_in_flight == 2


# -- connection failures and bad URLs --------------------------------------------------------------


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port bound but never listening: connecting to it is refused, and no one else can take it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_connection_refused(refusing_port: int, now: datetime) -> None:
    error = await fetch_error(f"http://127.0.0.1:{refusing_port}/world.xml", now)

    assert error.reason == "could not connect: connection refused"
    assert error.status is None
    assert isinstance(error.__cause__, httpx.ConnectError)  # the cause is kept for debug logs


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/var/feeds/world.xml", "not an http(s):// or file:// URL"),
        ("ftp://news.example/world.xml", "not an http(s):// or file:// URL"),
        ("http:///world.xml", "invalid URL: a URL without a host"),
        ("http://127.0.0.1:70000/world.xml", "invalid URL: port 70000 out of range"),
        ("http://[::1/world.xml", "invalid URL: Invalid port"),  # httpx's own message, translated
    ],
)
async def test_urls_we_do_not_fetch(url: str, reason: str, now: datetime) -> None:
    error = await fetch_error(url, now)

    assert error.reason.startswith(reason)


async def test_fetch_outside_the_context_manager_is_a_programming_error(now: datetime) -> None:
    with pytest.raises(RuntimeError, match="async with Fetcher"):
        await Fetcher().fetch(feed("http://127.0.0.1:9/world.xml"), now)
