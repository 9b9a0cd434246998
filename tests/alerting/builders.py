"""Small builders for alerting tests: an article, a match, a subscriber and an outbox row, with overrides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from monitor.alerting import AlertHistory, BatchItem, Resources, plan
from monitor.domain import AlertRequest, Article, Match, OutboxItem, Span
from monitor.settings.models import Settings, SubscriberSettings

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def article(**overrides: Any) -> Article:
    values: dict[str, Any] = {
        "id": 42,
        "feed_id": 7,
        "feed_name": "Energy Wire",
        "feed_url": "https://wire.example.com/feed.xml",
        "identity": "abc",
        "title": "Treasury designates four subsidiaries of Acme Oil",
        "link": "https://wire.example.com/news/acme-oil",
        "guid": "abc",
        "summary": "The US Treasury designated four subsidiaries of Acme Oil, freezing their assets.",
        "content": "",
        "author": None,
        "published_at": datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        "fetched_at": NOW,
    }
    values.update(overrides)
    return Article(**values)


def match(**overrides: Any) -> Match:
    values: dict[str, Any] = {
        "rule_id": "sanctions-new",
        "rule_title": "New sanctions announced",
        "article_id": 42,
        "key": "Acme Oil",
        "severity": "high",
        "tags": ("sanctions", "energy"),
        "captures": {"target": "Acme Oil"},
        "spans": (Span(field="summary", start=8, end=28, text="Treasury designated"),),
        "explanation": ("action: 'designate' in summary", "target: ORG 'Acme Oil' in the same sentence"),
    }
    values.update(overrides)
    return Match(**values)


def subscriber(
    name: str = "analysts", urls: tuple[str, ...] = ("console://",), **overrides: Any
) -> SubscriberSettings:
    return SubscriberSettings(name=name, urls=urls, **overrides)


def planned(
    found: Match, source: Article, subscribers: Sequence[SubscriberSettings], notify: Sequence[str] = ()
) -> list[AlertRequest]:
    """The notifications the daemon's planner makes for ``found``, the first match of a new story (no
    history): one per subscriber that wants it and channel URL, in order."""
    settings = Settings(subscribers=tuple(subscribers), source="<tests>")
    batch = [BatchItem(source, [found])]
    [events] = plan(batch, AlertHistory(), settings, {found.rule_id: tuple(notify)}, Resources(settings), NOW)
    return [request for event in events for request in event.notifications]


def outbox_item(
    request: AlertRequest, id: int = 1, attempts: int = 0, created_at: datetime = NOW
) -> OutboxItem:
    """The outbox row storage would hand back for ``request``."""
    return OutboxItem(
        id=id,
        subscriber=request.subscriber,
        channel=request.channel,
        title=request.title,
        body=request.body,
        body_format=request.body_format,
        attempts=attempts,
        created_at=created_at,
    )
