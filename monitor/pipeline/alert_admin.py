"""What the alert commands of the CLI call: show, resend, preview, silences, testing a subscriber.

Each function is one command's work, so the CLI stays a thin shell. Channel URLs are masked here before
anything reaches a terminal (``alerting.mask``); storage hands them over raw.
"""

from __future__ import annotations

# alerting (apprise), rules and enrichment load inside the functions that use them: `newsmon alerts list`
# needs storage only
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import storage
from monitor.domain import ALERT_FORMATS, Article, Enrichment, Match
from monitor.errors import MonitorError
from monitor.settings import Settings

if TYPE_CHECKING:
    from monitor import rules

FORMATS = ALERT_FORMATS


@dataclass(frozen=True)
class Rendered:
    format: str
    title: str
    body: str


@dataclass(frozen=True)
class Preview:
    """What ``alerts preview`` shows: whether the rule holds for the article, and the alert per format."""

    rule_id: str
    holds: bool
    match: Match
    rendered: tuple[Rendered, ...]


def list_alerts(
    db: storage.Database,
    *,
    subscriber: str | None = None,
    rule: str | None = None,
    since: datetime | None = None,
    failed: bool = False,
    limit: int = 100,
) -> list[storage.AlertSummary]:
    """Alerts newest first (one per story, rule, key and subscriber), with where their delivery stands."""
    return storage.list_story_alerts(
        db, subscriber=subscriber, rule=rule, since=since, failed=failed, limit=limit
    )


def alert_detail(db: storage.Database, alert_id: int) -> storage.AlertDetail:
    """One alert with its sources, notifications and attempts; channels are named by their secret-free
    labels ("subscriber #index (scheme)"): the outbox stores no URL."""
    detail = storage.alert_detail(db, alert_id)
    if detail is None:
        raise MonitorError(f"no alert #{alert_id} (see `newsmon alerts list`)")
    return detail


def resend_alert(db: storage.Database, alert_id: int, now: datetime) -> list[int]:
    """Queue the alert's latest notification to each channel again; the outbox delivers it."""
    return storage.resend_alert(db, alert_id, now)


def cancel_alert(db: storage.Database, alert_id: int) -> list[int]:
    """Cancel the alert's notifications not sent yet (pending, retrying, dead): returns their ids."""
    detail = alert_detail(db, alert_id)
    unsent = [n.id for n in detail.notifications if n.status in ("pending", "sending", "dead")]
    if unsent:
        storage.cancel_outbox(db, unsent, "cancelled by an operator (newsmon alerts cancel)")
    return unsent


def purge_notifications(db: storage.Database, *, failed: bool, subscriber: str | None) -> int:
    """Delete dead and cancelled notifications (``failed``) and/or every unsent one of ``subscriber``."""
    if not failed and subscriber is None:
        raise MonitorError("say what to purge: --failed and/or --subscriber NAME")
    return storage.purge_outbox(db, failed=failed, subscriber=subscriber)


def test_subscriber(settings: Settings, name: str) -> list[tuple[str, bool, str | None]]:
    """Send a test notification to each of a subscriber's channels: (masked URL, ok, error) each."""
    from monitor import alerting

    subscriber = settings.subscriber(name)
    if subscriber is None:
        known = ", ".join(s.name for s in settings.subscribers) or "none configured"
        raise MonitorError(f"no subscriber named {name!r} in {settings.source} ({known})")
    return alerting.send_test(
        subscriber, settings.delivery.timeout_s, alerting.channels_of(settings, subscriber)
    )


def subscriber_channels(settings: Settings, name: str) -> list[tuple[str, str]]:
    """(masked URL, body format) of each channel of a subscriber, its apprise config file's included."""
    from monitor import alerting

    subscriber = settings.subscriber(name)
    assert subscriber is not None
    return [
        (alerting.mask(url), alerting.body_format(url, subscriber.format))
        for url in alerting.channels_of(settings, subscriber)
    ]


def preview_alert(
    settings: Settings,
    rule_id: str,
    article_path: Path,
    now: datetime,
    *,
    subscriber: str | None = None,
    formats: Sequence[str] = FORMATS,
) -> Preview:
    """Render the alert ``rule_id`` would send for the article in ``article_path``, sending nothing.

    Uses the subscriber's template overrides when one is named. When the rule does not hold for the
    article, the alert is rendered as if it did (``holds`` False), so a template can still be tried out.
    """
    from monitor import alerting, parsing, rules
    from monitor.pipeline.dryrun import article_from_entry

    ruleset = rules.load_rules(list(settings.rules.paths))
    rule = ruleset.get(rule_id)
    if rule is None:
        raise MonitorError(f"no rule {rule_id!r} in {', '.join(str(p) for p in settings.rules.paths)}")
    chosen = settings.subscriber(subscriber) if subscriber else None
    if subscriber and chosen is None:
        raise MonitorError(f"no subscriber named {subscriber!r} in {settings.source}")
    article = article_from_entry(parsing.parse_article_file(article_path, now), article_path.name, 1, now)
    enrichment = _enrich(settings, article) if rule.needs_enrichment else None
    found = [m for m in ruleset.evaluate(article, enrichment) if m.rule_id == rule_id]
    match = found[0] if found else _as_if(rule, article)
    templates = alerting.templates_for(alerting.template_search(settings, chosen, rule_id))
    content = alerting.AlertContent(match, article)
    rendered = tuple(Rendered(fmt, *templates.render_alert(content, fmt)) for fmt in formats)
    return Preview(rule_id, bool(found), match, rendered)


def _as_if(rule: rules.Rule, article: Article) -> Match:
    return Match(
        rule_id=rule.id,
        rule_title=rule.title,
        article_id=article.id,
        key="",
        severity=rule.severity,
        tags=rule.tags,
        explanation=("(the rule does not hold for this article: previewed as if it did)",),
    )


def _enrich(settings: Settings, article: Article) -> Enrichment | None:
    from monitor.pipeline.runtime import load_enrichment

    enricher = load_enrichment(settings)[0]
    return enricher.enrich([article])[0] if enricher else None


def add_silence(
    db: storage.Database,
    now: datetime,
    duration_s: float,
    *,
    rule_id: str | None = None,
    key: str | None = None,
    subscriber: str | None = None,
    reason: str = "",
) -> storage.SilenceRecord:
    """Silence alerts matching the given patterns from ``now`` for ``duration_s`` seconds."""
    until = now + timedelta(seconds=duration_s)
    return storage.add_silence(db, now, until, rule_id=rule_id, key=key, subscriber=subscriber, reason=reason)


def list_silences(
    db: storage.Database, now: datetime, *, include_expired: bool = False
) -> list[storage.SilenceRecord]:
    return storage.list_silences(db, now, include_expired=include_expired)


def end_silence(db: storage.Database, silence_id: int, now: datetime) -> storage.SilenceRecord:
    return storage.end_silence(db, silence_id, now)
