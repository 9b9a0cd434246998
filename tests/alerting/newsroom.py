"""A newsroom for alert tests: a real database, a feed to publish to, and the daemon's processing batch.

``Newsroom.publish`` stores articles as a poll would; ``Newsroom.process`` runs a batch the way
``pipeline.processing`` does once alerts are planned per story (claim → story → evaluate → plan → save),
with the rule evaluations given by the test, so each test states exactly what the rules said.

Example::

    async with newsroom(tmp_path, database_url, SUBSCRIBERS) as room:
        first, second = room.publish("Summit cancelled", "Summit off, says Kremlin", story=1)
        room.process([(first, evaluation(state_match(first, "cancelled")))])
        await room.deliver()
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from monitor import alerting, pipeline, rules, storage
from monitor.domain import Article, Entry, FeedSource, FeedUpdate, Match, Span
from monitor.pipeline.alerts import plan_alerts
from monitor.settings import Settings, load_settings
from monitor.storage import tables

NOW = datetime(2025, 10, 23, 8, 0, tzinfo=UTC)
SUMMIT_RULE = """\
id: summit-status
title: Summit status
severity: medium
notify: [analysts]
match:
  summit: {phrases: [summit]}
"""


def write_config(
    tmp_path: Path,
    database_url: str,
    subscribers: str,
    extra: str = "",
    delivery: str = "{backoff_base_s: 10, backoff_max_s: 60, timeout_s: 5}",
    rules: Path | None = None,
) -> Settings:
    """A config with ``subscribers`` (YAML list items) and ``extra`` top-level YAML; the rules are the
    summit rule alone (enrichment off: evaluations come from the test), or the folder ``rules`` with
    enrichment on."""
    if rules is None:
        (tmp_path / "rules").mkdir(exist_ok=True)
        (tmp_path / "rules" / "summit.yaml").write_text(SUMMIT_RULE)
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        f"database: {{url: '{database_url}'}}\n"
        f"rules: {{paths: ['{rules or tmp_path / 'rules'}']}}\n"
        f"enrichment: {{enabled: {'true' if rules else 'false'}}}\n"
        f"delivery: {delivery}\n"
        f"subscribers:\n{subscribers}\n{extra}"
    )
    return load_settings(path, {})


class Newsroom:
    def __init__(self, context: pipeline.PipelineContext) -> None:
        self.context = context
        self.db = context.db
        feed = storage.add_feed(self.db, FeedSource("https://wire.example/feed.xml", "Wire", 600), NOW)
        assert feed.id is not None
        self.feed_id = feed.id
        self._published = 0

    def publish_to(self, feed_name: str, entries: Sequence[Entry], at: datetime) -> list[Article]:
        """Store ``entries`` as a poll of the feed ``feed_name`` (created on first use) would; claimed."""
        feed = storage.add_feed(
            self.db, FeedSource(f"https://{feed_name}.example/feed.xml", feed_name, 600), at
        )
        assert feed.id is not None
        storage.save_poll(
            self.db, FeedUpdate(feed.id, at, at + timedelta(minutes=10), http_status=200), entries, at
        )
        return storage.claim_unprocessed_articles(self.db, at, limit=100, lease_s=60)

    def publish(self, *titles: str, at: datetime = NOW, story: int | None = None) -> list[Article]:
        """Store articles (published ``at``, one minute apart) and return them as claimed for processing;
        with ``story``, they belong to that story (else each is its own)."""
        entries = []
        for offset, title in enumerate(titles):
            self._published += 1
            entries.append(
                Entry(
                    identity=f"a{self._published}",
                    title=title,
                    link=f"https://wire.example/{self._published}",
                    summary=title,
                    published_at=at + timedelta(minutes=offset),
                )
            )
        update = FeedUpdate(self.feed_id, at, at + timedelta(minutes=10), http_status=200)
        storage.save_poll(self.db, update, entries, at)
        claimed = storage.claim_unprocessed_articles(self.db, at, limit=100, lease_s=60)
        if story is None:
            return claimed
        return [replace(article, story_id=story) for article in claimed]

    def process(
        self, batch: Sequence[tuple[Article, rules.Evaluation]], now: datetime = NOW
    ) -> list[storage.AlertEvent]:
        """One processing batch, saved in one transaction; returns the alert events it planned."""
        items = [alerting.BatchItem(a, e.matches, e.suppressed) for a, e in batch]
        results, planned = [], []
        for item, events in zip(items, plan_alerts(self.context, items, now), strict=True):
            planned.extend(events)
            results.append(
                storage.ProcessedArticle(item.article.id, matches=list(item.matches), alert_events=events)
            )
        storage.save_processed(self.db, now, results)
        self._save_stories([article for article, _ in batch], now)
        return planned

    async def deliver(self, now: datetime = NOW) -> pipeline.DrainReport:
        return await pipeline.drain_outbox(self.context, now)

    def rows(self, sql: str, **params: object) -> list[sa.Row[Any]]:
        with self.db.engine.connect() as conn:
            return list(conn.execute(sa.text(sql), params).all())

    def _save_stories(self, articles: Sequence[Article], now: datetime) -> None:
        """What processing stores for stories: the story row (named after its first article) and the ids."""
        with self.db.engine.begin() as conn:
            for article in articles:
                if article.story_id is None:
                    continue
                known = conn.execute(
                    sa.select(tables.stories.c.id).where(tables.stories.c.id == article.story_id)
                )
                if known.first() is None:
                    row = {"id": article.story_id, "fingerprint": "f", "first_seen_at": now, "sources": []}
                    conn.execute(tables.stories.insert().values(**row))
                conn.execute(
                    tables.articles.update()
                    .where(tables.articles.c.id == article.id)
                    .values(story_id=article.story_id)
                )


@asynccontextmanager
async def newsroom(settings: Settings) -> AsyncIterator[Newsroom]:
    async with pipeline.open_context(settings, None) as context:
        yield Newsroom(context)


def state_match(article: Article, state: str, before: str | None = None, key: str = "Trump, Putin") -> Match:
    """What ``summit-status`` reports for an article: a state (change) for the leaders' key."""
    note = (
        f"state changed: {before or 'none'} → {state}"
        if before != state
        else f"state unchanged: still '{state}'"
    )
    return Match(
        rule_id="summit-status",
        rule_title="Summit status",
        article_id=article.id,
        key=key,
        severity="medium",
        captures={"state": state, "from": before, "to": state, "leaders": key},
        spans=(Span("title", 0, 6, "summit"),),
        explanation=("summit: 'summit' in title", note),
    )


def evaluation(*matches: Match, suppressed: Sequence[Match] = ()) -> rules.Evaluation:
    return rules.Evaluation(matches=tuple(matches), suppressed=tuple(suppressed))
