"""file:// feeds: the file's mtime plays Last-Modified; the same size cap applies."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from email.utils import formatdate
from pathlib import Path

import pytest

from monitor.domain import FeedSource
from monitor.errors import FetchError
from monitor.fetching import Fetcher, FetchLimits
from tests.support.fifo import fifo

RSS = b"<rss version='2.0'><channel><title>Local</title></channel></rss>"


def feed(url: str, last_modified: str | None = None) -> FeedSource:
    return FeedSource(url=url, name="local", interval_s=60, last_modified=last_modified)


async def fetch(source: FeedSource, now: datetime, limits: FetchLimits | None = None) -> object:
    async with Fetcher(limits) as fetcher:
        return await fetcher.fetch(source, now)


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "local feed.xml"  # a space, to prove the URL is unquoted
    path.write_bytes(RSS)
    os.utime(path, (1_736_935_200, 1_736_935_200))  # Wed, 15 Jan 2025 10:00:00 GMT
    return path


async def test_file_url_then_not_modified_then_changed(feed_file: Path, now: datetime) -> None:
    url = feed_file.as_uri()
    async with Fetcher() as fetcher:
        first = await fetcher.fetch(feed(url), now)
        second = await fetcher.fetch(feed(url, last_modified=first.last_modified), now)
        os.utime(feed_file, (1_736_935_260, 1_736_935_260))
        third = await fetcher.fetch(feed(url, last_modified=first.last_modified), now)

    assert (first.status, first.body, first.final_url) == (200, RSS, url)
    assert first.last_modified == "Wed, 15 Jan 2025 10:00:00 GMT"
    assert (first.content_type, first.fetched_at) == ("application/xml", now)
    assert (second.status, second.not_modified, second.body) == (304, True, None)
    assert second.last_modified == first.last_modified
    assert (third.status, third.body) == (200, RSS)
    assert third.last_modified == formatdate(1_736_935_260, usegmt=True)


async def test_localhost_is_the_only_host_allowed(feed_file: Path, now: datetime) -> None:
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(feed(f"file://localhost{feed_file.as_uri()[7:]}"), now)
        with pytest.raises(FetchError, match="remote host 'fileserver'"):
            await fetcher.fetch(feed(f"file://fileserver{feed_file.as_uri()[7:]}"), now)

    assert result.body == RSS


@pytest.mark.parametrize(
    ("name", "reason"),
    [("missing.xml", "no such file: "), ("", "not a file: ")],
)
async def test_unreadable_paths(tmp_path: Path, now: datetime, name: str, reason: str) -> None:
    path = tmp_path / name
    with pytest.raises(FetchError) as caught:
        await fetch(feed(path.as_uri()), now)

    assert caught.value.reason == f"{reason}{path}"
    assert isinstance(caught.value.__cause__, OSError)


async def test_oversize_file_is_refused(feed_file: Path, now: datetime) -> None:
    with pytest.raises(FetchError, match="body larger than 10 bytes"):
        await fetch(feed(feed_file.as_uri()), now, FetchLimits(max_body_bytes=10))


async def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, now: datetime) -> None:
    with fifo(tmp_path / "feed.xml") as path, pytest.raises(FetchError, match="not a regular file"):
        await asyncio.wait_for(fetch(feed(path.as_uri()), now), timeout=5)
