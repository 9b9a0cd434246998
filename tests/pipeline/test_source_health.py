"""Source health: operators hear once when a feed keeps failing, is gone, moves or goes quiet, and once more
when it heals; the feed list says why. The decision table first, then a real feed server end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor import pipeline, storage
from monitor.pipeline.source_health import decide, open_episodes
from monitor.settings import SourceHealthSettings
from tests.pipeline.harness import NOW, running, write_settings
from tests.support.feed_server import FeedServer

POLICY = SourceHealthSettings(failing_polls=3, quiet_factor=4, quiet_min_s=3600, learn_articles=4)


def feed(**changes: Any) -> storage.FeedHealth:
    values: dict[str, Any] = {
        "feed_id": 7,
        "name": "Wire",
        "url": "https://wire.example/feed.xml?token=abc",
        "status": "active",
        "error_count": 0,
        "last_error": None,
        "moved_from": None,
        "created_at": NOW - timedelta(days=30),
        "last_polled_at": NOW,
        "published": (),
    }
    values.update(changes)
    return storage.FeedHealth(**values)


def hourly(count: int, newest: datetime) -> tuple[datetime, ...]:
    return tuple(newest - timedelta(hours=n) for n in range(count))


OPEN = {"since": NOW.isoformat()}


@pytest.mark.parametrize(
    ("record", "episodes", "expected"),
    [
        (feed(error_count=2), {}, []),
        (feed(error_count=3, last_error="HTTP 500"), {}, [("failing", True)]),
        (feed(error_count=9), {"7:failing": OPEN}, []),  # once per episode
        (feed(error_count=0), {"7:failing": OPEN}, [("failing", False)]),
        (feed(error_count=1), {"7:failing": OPEN}, []),  # not healed until a poll succeeds
        (feed(status="gone"), {}, [("gone", True)]),
        (feed(status="gone"), {"7:gone": OPEN}, []),
        (feed(moved_from="https://old.example/rss"), {}, [("moved", True)]),
        (feed(moved_from="https://old.example/rss"), {"7:moved": {"from": "https://old.example/rss"}}, []),
        # hourly publisher, silent for 5 hours: 4 × the 1 h median gap = 4 h
        (feed(published=hourly(6, NOW - timedelta(hours=5))), {}, [("quiet", True)]),
        (feed(published=hourly(6, NOW - timedelta(hours=3))), {}, []),
        (feed(published=hourly(3, NOW - timedelta(days=9))), {}, []),  # too few articles to learn from
        (feed(published=hourly(6, NOW - timedelta(minutes=5))), {"7:quiet": OPEN}, [("quiet", False)]),
        # a failing feed is failing, not quiet
        (feed(error_count=3, published=hourly(6, NOW - timedelta(hours=9))), {}, [("failing", True)]),
    ],
)
def test_which_episodes_open_and_close(
    record: storage.FeedHealth, episodes: dict[str, Any], expected: list[tuple[str, bool]]
) -> None:
    changes = decide(record, episodes, POLICY, NOW)
    assert [(c.kind, c.opened) for c in changes] == expected
    for change in changes:
        assert "token=abc" not in change.detail


def test_the_quiet_notice_says_how_long_and_the_usual_rhythm() -> None:
    (change,) = decide(feed(published=hourly(6, NOW - timedelta(hours=5))), {}, POLICY, NOW)
    assert change.detail == "no new article for 5.0 hours, where it usually publishes every 1.0 hours"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>One</title><guid>g1</guid><link>https://news.example/1</link></item></channel></rss>"
)


@pytest.mark.slow
async def test_a_failing_feed_tells_operators_once_and_once_more_when_it_heals(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/feed.xml", status=500)
    alerts = tmp_path / "operators.jsonl"
    settings = write_settings(
        tmp_path,
        database_url,
        feeds=[url],
        subscribers=[("ops", f"jsonl://{alerts}")],
        extra="source_health: {notify: [ops], failing_polls: 3}",
    )
    async with running(settings) as context:
        when = NOW
        for _ in range(5):  # five failed polls, a health check after each
            await pipeline.poll_due_feeds(context, when)
            pipeline.check_source_health(context, when)
            when = storage.get_feed(context.db, url).next_poll_at  # type: ignore[union-attr]
        await pipeline.drain_outbox(context, when)
        told = [json.loads(line) for line in alerts.read_text().splitlines()]
        assert [t["title"] for t in told] == [f"newsmon: feed '{_name(context, url)}' keeps failing"]
        assert "3 polls in a row failed; last: " in told[0]["body"]
        feed_id = storage.get_feed(context.db, url).id  # type: ignore[union-attr]
        assert open_episodes(context.db)[feed_id][0].startswith("failing since ")

        server.route("/feed.xml", body=RSS)
        await pipeline.poll_due_feeds(context, when)
        pipeline.check_source_health(context, when)
        pipeline.check_source_health(context, when + timedelta(minutes=10))  # nothing new to say
        await pipeline.drain_outbox(context, when + timedelta(minutes=10))
        told = [json.loads(line) for line in alerts.read_text().splitlines()]
        assert [t["title"].split("' ")[1] for t in told] == ["keeps failing", "recovered (failing)"]
        assert open_episodes(context.db) == {}


def _name(context: pipeline.PipelineContext, url: str) -> str:
    record = storage.get_feed(context.db, url)
    assert record is not None
    return record.name


def test_health_notices_go_to_the_operators_only(tmp_path: Path) -> None:
    settings = write_settings(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite'}",
        subscribers=[("ops", "json://127.0.0.1:9/x"), ("analysts", "json://127.0.0.1:9/y")],
        extra="source_health: {notify: [ops]}",
    )
    from monitor.pipeline.source_health import _notices

    (change,) = decide(feed(status="gone"), {}, settings.source_health, datetime(2026, 1, 1, tzinfo=UTC))
    notices = _notices(settings, change)
    assert [n.subscriber for n in notices] == ["ops"]
    assert notices[0].rule_id == storage.SOURCE_HEALTH_RULE and notices[0].article_id == 0
