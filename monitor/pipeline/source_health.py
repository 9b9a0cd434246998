"""Source health: tell operators when a feed keeps failing, goes quiet, moves or is gone — once per episode,
and once more when it heals.

An episode opens when a condition starts (``failing``: ``failing_polls`` polls in a row failed; ``gone``: the
publisher answered 410; ``quiet``: no new article for far longer than the feed's usual gap between
articles, learned from its own recent articles; ``moved``: a permanent redirect was confirmed and the feed's
URL changed) and closes when it ends. Open episodes are remembered in the database (as rule memory under
``newsmon.source-health``), so a restart or a second daemon does not tell anyone twice; the notices go
through the outbox like any alert, to the subscribers named or grouped in ``source_health.notify``.
"""

from __future__ import annotations

import itertools
import logging
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from monitor import storage
from monitor.domain import AlertRequest
from monitor.settings import Settings, SourceHealthSettings

if TYPE_CHECKING:
    from monitor.pipeline.context import PipelineContext

log = logging.getLogger(__name__)

KINDS = ("failing", "gone", "quiet", "moved")


@dataclass(frozen=True)
class HealthChange:
    """An episode that opens (``opened``) or closes for one feed, with the words to tell operators."""

    feed_id: int
    feed_name: str
    kind: str
    opened: bool
    detail: str
    state: dict[str, Any] | None  # what to remember for the episode; None forgets it
    since: str  # when the episode opened (ISO): with the kind, it names the episode in dedupe keys

    @property
    def key(self) -> str:
        return f"{self.feed_id}:{self.kind}"


@dataclass
class SourceHealthReport:
    opened: int = 0
    closed: int = 0
    notices: int = 0  # outbox rows queued


def check_source_health(context: PipelineContext, now: datetime) -> SourceHealthReport:
    """Compare every feed's record with its open episodes; remember the changes and queue the notices."""
    policy = context.settings.source_health
    report = SourceHealthReport()
    if not policy.enabled:
        return report
    episodes = storage.rule_states(context.db, storage.SOURCE_HEALTH_RULE)
    changes = [
        change
        for feed in storage.feed_health(context.db, policy.learn_articles + 1)
        for change in decide(feed, episodes, policy, now)
    ]
    if not changes:
        return report
    notices = [notice for change in changes for notice in _notices(context.settings, change)]
    report.notices = storage.save_health_changes(
        context.db, now, {change.key: change.state for change in changes}, notices
    )
    for change in changes:
        report.opened += change.opened
        report.closed += not change.opened
        log.warning(
            "feed %s: %s",
            change.feed_name,
            change.detail,
            extra={
                "action": f"source_health.{change.kind}.{'open' if change.opened else 'closed'}",
                "feed": change.feed_id,
            },
        )
    return report


def decide(
    feed: storage.FeedHealth, episodes: dict[str, Any], policy: SourceHealthSettings, now: datetime
) -> list[HealthChange]:
    """The episodes of ``feed`` that open or close at ``now`` (pure: no I/O, no clock)."""
    return list(_changes(feed, episodes, policy, now))


def _changes(
    feed: storage.FeedHealth, episodes: dict[str, Any], policy: SourceHealthSettings, now: datetime
) -> Iterator[HealthChange]:
    def change(kind: str, opened: bool, detail: str, state: dict[str, Any] | None) -> HealthChange:
        episode = episodes.get(f"{feed.feed_id}:{kind}") or {}
        since = now.isoformat() if opened else str(episode.get("since", ""))
        return HealthChange(feed.feed_id, feed.name, kind, opened, detail, state, since)

    def is_open(kind: str) -> bool:
        return f"{feed.feed_id}:{kind}" in episodes

    since = {"since": now.isoformat()}
    failing = feed.error_count >= policy.failing_polls
    if failing and not is_open("failing"):
        reason = feed.last_error or "unknown error"
        yield change("failing", True, f"{feed.error_count} polls in a row failed; last: {reason}", since)
    elif feed.error_count == 0 and is_open("failing"):
        yield change("failing", False, "polls succeed again", None)

    gone = feed.status == "gone"
    if gone and not is_open("gone"):
        yield change(
            "gone", True, "the publisher says the feed is gone (HTTP 410); it is no longer polled", since
        )
    elif not gone and is_open("gone"):
        yield change("gone", False, "the feed is active again", None)

    if feed.moved_from and (episodes.get(f"{feed.feed_id}:moved") or {}).get("from") != feed.moved_from:
        detail = f"moved permanently from {_shown(feed.moved_from)} to {_shown(feed.url)}"
        yield change("moved", True, detail, {"from": feed.moved_from, **since})

    quiet_for = _quiet_threshold(feed.published, policy)
    silent = now - feed.published[0] if feed.published else None
    quiet = quiet_for is not None and silent is not None and silent > quiet_for and not (failing or gone)
    if quiet and not is_open("quiet"):
        assert silent is not None and quiet_for is not None
        detail = (
            f"no new article for {_days(silent)}, where it usually publishes every "
            f"{_days(quiet_for / policy.quiet_factor)}"
        )
        yield change("quiet", True, detail, since)
    elif is_open("quiet") and silent is not None and quiet_for is not None and silent <= quiet_for:
        yield change("quiet", False, "new articles again", None)


def _quiet_threshold(published: Sequence[datetime], policy: SourceHealthSettings) -> timedelta | None:
    """``quiet_factor`` × the median gap between the feed's recent articles (at least ``quiet_min_s``);
    None until the feed has ``learn_articles`` articles to learn from."""
    if len(published) < policy.learn_articles:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in itertools.pairwise(published)]
    typical = statistics.median(gaps)
    return timedelta(seconds=max(policy.quiet_min_s, policy.quiet_factor * typical))


def _notices(settings: Settings, change: HealthChange) -> list[AlertRequest]:
    policy = settings.source_health
    title = (
        f"newsmon: feed '{change.feed_name}' {_TITLES[change.kind]}"
        if change.opened
        else f"newsmon: feed '{change.feed_name}' recovered ({change.kind})"
    )
    text = (
        f"{change.detail}.\n\nSee `newsmon feeds list` for every feed's state; "
        "this notice is sent once per episode, and once more when it ends."
    )
    from monitor import alerting  # apprise: `newsmon feeds list` reads episodes without it

    notices = []
    for subscriber in settings.subscribers:
        if subscriber.name not in policy.notify and not set(subscriber.groups) & set(policy.notify):
            continue
        key = (storage.SOURCE_HEALTH_RULE, str(change.feed_id), change.kind, change.since, str(change.opened))
        channels = alerting.channels_of(settings, subscriber)
        notices.extend(
            alerting.plain_notifications(subscriber, title, text, storage.SOURCE_HEALTH_RULE, key, channels)
        )
    return notices


_TITLES = {
    "failing": "keeps failing",
    "gone": "is gone",
    "quiet": "has gone quiet",
    "moved": "has moved",
}


def _shown(url: str) -> str:
    """A feed URL without its query string (private feeds put tokens there)."""
    parts = urlsplit(url)
    return parts._replace(query="", fragment="").geturl()


def _days(span: timedelta | float) -> str:
    seconds = span.total_seconds() if isinstance(span, timedelta) else span
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    return f"{seconds / 3600:.1f} hours"


def open_episodes(db: storage.Database) -> dict[int, list[str]]:
    """Per feed id, its open source-health episodes in words ("failing since 2026-12-01 10:00 UTC")."""
    found: dict[int, list[str]] = {}
    for key, state in sorted(storage.rule_states(db, storage.SOURCE_HEALTH_RULE).items()):
        feed_id, _, kind = key.partition(":")
        since = datetime.fromisoformat(str(state.get("since"))).strftime("%Y-%m-%d %H:%M UTC")
        words = (
            f"moved from {_shown(str(state.get('from')))} ({since})"
            if kind == "moved"
            else f"{kind} since {since}"
        )
        found.setdefault(int(feed_id), []).append(words)
    return found
