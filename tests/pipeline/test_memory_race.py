"""Issue 12, finding 2: two workers evaluate the same state change for the same key at the same moment.
Both read the old memory; before, both alerted (last write won). Now the second save finds the memory
changed since it was read, evaluates its batch again and stays quiet: one alert, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import pipeline, storage
from tests.pipeline.harness import NOW, rows, running, write_settings
from tests.support.feed_server import FeedServer

RULE = """\
id: summit
type: state
title: Summit status
key: "{place}"
match:
  event: {phrases: [summit]}
  place: {phrases: [Lisbon]}
states: {planned: [planned], cancelled: [called off]}
"""


def rss(guid: str, title: str) -> bytes:
    return (
        f'<rss version="2.0"><channel><title>{guid}</title><item><title>{title}</title>'
        f"<guid>{guid}</guid><link>https://x.example/{guid}</link></item></channel></rss>"
    ).encode()


async def test_two_workers_never_both_fire_the_same_state_change(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FeedServer() as server:
        one = server.route("/one.xml", body=rss("a", "The Lisbon summit was called off"))
        two = server.route("/two.xml", body=rss("b", "Lisbon summit called off, officials say"))
        settings = write_settings(tmp_path, database_url, feeds=[one, two], rules=RULE)
        async with running(settings) as first, running(settings) as second:
            await pipeline.poll_due_feeds(first, NOW)
            mine = storage.claim_unprocessed_articles(first.db, NOW, 1, 20, "first")
            theirs = storage.claim_unprocessed_articles(second.db, NOW, 1, 20, "second")
            real_save = storage.save_processed
            interleaved: list[pipeline.ProcessReport] = []
            started = []

            def second_worker_commits_first(*args: object, **kwargs: object) -> int:
                if not started:  # the first worker evaluated; the second one commits meanwhile
                    started.append(True)
                    interleaved.append(pipeline.process_batch(second, theirs, NOW))
                return real_save(*args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(storage, "save_processed", second_worker_commits_first)
            pipeline.process_batch(first, mine, NOW)
            matches = rows(first, "SELECT rule_id, article_id FROM matches")
            processed = rows(first, "SELECT count(*) FROM articles WHERE processed_at IS NOT NULL")

    assert interleaved and interleaved[0].matches == 1
    assert processed[0][0] == 2
    assert len(matches) == 1  # the state changed once: one alert, not one per worker
