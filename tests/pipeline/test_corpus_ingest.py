"""Every real-world feed of ../shared/corpus/feeds/real through the whole poll step, on both engines:
served over HTTP with no content type (formats are detected by content), every real item stored, files that
are not feeds recorded as a per-feed error that stops nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import pipeline, storage
from tests.pipeline.harness import NOW, rows, running, write_settings
from tests.support.corpus import EXPECTED_ENTRIES, NOT_FEEDS, corpus_files
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration


@pytest.fixture
def corpus_server() -> Iterator[tuple[FeedServer, dict[str, str]]]:
    with FeedServer() as server:
        urls = {
            path.name: server.route(f"/corpus/{path.name}", body=path.read_bytes(), content_type=None)
            for path in corpus_files()
        }
        yield server, urls


async def test_every_corpus_file_is_ingested_with_every_real_item(
    tmp_path: Path, corpus_server: tuple[FeedServer, dict[str, str]], database_url: str
) -> None:
    _, urls = corpus_server
    assert len(urls) == 96
    settings = write_settings(tmp_path, database_url, feeds=list(urls.values()))
    async with running(settings) as context:
        report = await pipeline.poll_due_feeds(context, NOW)
        assert report.feeds == 96
        stored = dict(
            rows(
                context,
                "select f.url, count(a.id) from feeds f left join articles a on a.feed_id = f.id group by f.url",
            )
        )
        by_name = {name: stored[url] for name, url in urls.items()}
        errors = {r.url: r.last_error for r in storage.list_feeds(context.db) if r.last_error}
        expected = {name: EXPECTED_ENTRIES.get(name, 0) for name in urls}
        assert by_name == expected, errors
        assert report.new_articles == sum(EXPECTED_ENTRIES.values())

        for name, reason in NOT_FEEDS.items():
            record = storage.get_feed(context.db, urls[name])
            assert record is not None and record.error_count == 1
            assert reason in (record.last_error or ""), (name, record.last_error)
        assert report.errors == len(NOT_FEEDS)

        # nothing changes on the server: a second poll stores nothing twice
        again = await pipeline.poll_due_feeds(context, NOW.replace(year=2027))
        assert again.new_articles == 0
