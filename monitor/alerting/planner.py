"""Planning a batch's alerts: a pure function of the batch and of what storage knew before it.

    wanted = history_wanted(batch, settings, now)        → what to load, once for the whole batch
    plan(batch, history, settings, notify, resources, now) → the AlertEvents of each batch item, in order

One alert per (rule, key, story, subscriber): the story's first source alerts; later sources update it only
with news (a new state or figure) and are otherwise recorded; silences, inhibition and realert stop a
notification but leave a record; digests and quiet hours hold it. Article 2 of a batch sees what article 1
decided. Nothing here reads the database or the clock: ``AlertHistory`` is what the pipeline loaded in one
read for the batch (``storage.load_alert_history``), and ``Resources`` keeps what is on disk (templates,
apprise config files) for the batch, so an alert costs no query and no file-system check of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.alerting.channels import channels_of
from monitor.alerting.context import AlertContent, StorySource, alert_context, source_of
from monitor.alerting.facts import fact_of
from monitor.alerting.inhibition import PastMatch, inhibition_for
from monitor.alerting.policy import Decision, Prior, Reasons, decide
from monitor.alerting.routing import digest_key, notifications, recipients
from monitor.alerting.schedule import hold_for
from monitor.alerting.silences import SilenceLike, silence_for, silence_note
from monitor.alerting.templates import Templates, templates_for
from monitor.alerting.validation import template_search
from monitor.domain import AlertEvent, AlertRef, AlertRequest, Article, HeldAlert, Match
from monitor.settings.models import Settings, SubscriberSettings


@dataclass(frozen=True)
class BatchItem:
    """One article of a processing batch: the matches that passed their gates, and those held back (which
    are recorded on alerts that exist). An article without matches is still a source of its story."""

    article: Article
    matches: Sequence[Match] = ()
    suppressed: Sequence[Match] = ()


@dataclass(frozen=True)
class AlertHistory:
    """What storage knew when the batch began: everything planning reads, loaded in one read."""

    alerts: Mapping[AlertRef, Prior] = field(default_factory=dict)
    # when each (rule, key, subscriber) was last notified, in any story (realert)
    last_notified: Mapping[tuple[str, str, str], datetime] = field(default_factory=dict)
    # each (rule, key)'s stored matches, newest first (inhibition)
    recent: Mapping[tuple[str, str], Sequence[PastMatch]] = field(default_factory=dict)
    # each story's newest sources, oldest first, and how many it has in all
    stories: Mapping[int, tuple[Sequence[StorySource], int]] = field(default_factory=dict)
    silences: Sequence[SilenceLike] = ()


@dataclass(frozen=True)
class HistoryWanted:
    """What the batch's planning will read: the (rule, key) pairs of its matches, the rules whose recent
    matches inhibit others (since ``since``) and its stories."""

    pairs: frozenset[tuple[str, str]]
    stories: frozenset[int]
    recent_rules: frozenset[str] = frozenset()
    since: datetime | None = None


def history_wanted(batch: Sequence[BatchItem], settings: Settings, now: datetime) -> HistoryWanted:
    inhibits = settings.alerting.inhibit
    widest = max((inhibit.within_s for inhibit in inhibits), default=None)
    return HistoryWanted(
        pairs=frozenset(
            (match.rule_id, match.key) for item in batch for match in (*item.matches, *item.suppressed)
        ),
        stories=frozenset(_story_of(item.article) for item in batch),
        recent_rules=frozenset(inhibit.source_rule for inhibit in inhibits),
        since=None if widest is None else now - timedelta(seconds=widest),
    )


class Resources:
    """What planning needs from disk, read once per batch: each subscriber's channels (its apprise config
    file) and each (subscriber, rule)'s templates (override folders looked up on disk)."""

    def __init__(self, settings: Settings) -> None:
        self.channels: Callable[[SubscriberSettings], tuple[str, ...]] = functools.cache(
            lambda subscriber: channels_of(settings, subscriber)
        )
        self.templates: Callable[[SubscriberSettings, str], Templates] = functools.cache(
            lambda subscriber, rule_id: templates_for(template_search(settings, subscriber, rule_id))
        )


def plan(
    batch: Sequence[BatchItem],
    history: AlertHistory,
    settings: Settings,
    notify: Mapping[str, Sequence[str]],
    resources: Resources,
    now: datetime,
) -> list[list[AlertEvent]]:
    """The alert events of each item of ``batch``, in order (see the module docstring). ``notify``: each
    rule's ``notify`` list (the subscribers and groups it names)."""
    planner = _Planner(history, settings, notify, resources, now)
    return [planner.item(item) for item in batch]


class _Planner:
    """The decisions of one batch so far, laid over the history it began with."""

    def __init__(
        self,
        history: AlertHistory,
        settings: Settings,
        notify: Mapping[str, Sequence[str]],
        resources: Resources,
        now: datetime,
    ) -> None:
        self._history = history
        self._settings = settings
        self._notify = notify
        self._resources = resources
        self._now = now
        self._alerts: dict[AlertRef, Prior] = {}
        self._members: dict[int, dict[int, StorySource]] = {}
        self._matched: list[tuple[str, str, PastMatch]] = []  # (rule, key, match) of this batch
        self._notified: dict[tuple[str, str, str], datetime] = {}

    def item(self, item: BatchItem) -> list[AlertEvent]:
        story_id = _story_of(item.article)
        self._members.setdefault(story_id, {})[item.article.id] = source_of(item.article)
        events: list[AlertEvent] = []
        for match in item.matches:
            events.extend(self._match(item.article, story_id, match, passed=True))
            state = fact_of(match).get("state")
            past = PastMatch(match.rule_id, state if isinstance(state, str) else None, self._now)
            self._matched.append((match.rule_id, match.key, past))
        for match in item.suppressed:
            events.extend(self._match(item.article, story_id, match, passed=False))
        return events

    def _match(self, article: Article, story_id: int, match: Match, *, passed: bool) -> list[AlertEvent]:
        fact = fact_of(match)
        events = []
        for subscriber in recipients(match, self._settings.subscribers, self._notify.get(match.rule_id, ())):
            ref = AlertRef(match.rule_id, match.key, story_id, subscriber.name)
            known = self._alerts.get(ref) or self._history.alerts.get(ref)
            decision = decide(
                fact,
                known,
                self._reasons(match, fact, subscriber) if passed else None,
                passed=passed,
                rule_note=match.explanation[-1] if match.explanation else "",
            )
            if decision is None:
                continue
            events.append(self._event(ref, article, match, fact, decision, subscriber, known))
            self._remember(ref, decision, fact, known)
        return events

    def _remember(
        self, ref: AlertRef, decision: Decision, fact: dict[str, object], known: Prior | None
    ) -> None:
        if decision.notifies:
            self._alerts[ref] = Prior(True, fact)
            self._notified[(ref.rule_id, ref.key, ref.subscriber)] = self._now
        elif known is None and decision.outcome != "recorded":
            self._alerts[ref] = Prior(False, fact)

    def _reasons(self, match: Match, fact: dict[str, object], subscriber: SubscriberSettings) -> Reasons:
        silence = silence_for(self._history.silences, match.rule_id, match.key, subscriber.name, self._now)
        inhibits = self._settings.alerting.inhibit

        def past(rule_id: str, since: datetime) -> list[PastMatch]:
            found = [
                p for rule, k, p in self._matched if rule == rule_id and k == match.key and p.at >= since
            ]
            stored = self._history.recent.get((rule_id, match.key), ())
            return found + [p for p in stored if p.at >= since]

        return Reasons(
            silenced=silence_note(silence) if silence else None,
            inhibited=inhibition_for(inhibits, match.rule_id, fact, past, self._now) if inhibits else None,
            throttled=self._throttled(match, subscriber),
        )

    def _throttled(self, match: Match, subscriber: SubscriberSettings) -> str | None:
        if not subscriber.realert_s:
            return None
        where = (match.rule_id, match.key, subscriber.name)
        last = self._notified.get(where) or self._history.last_notified.get(where)
        if last is None or self._now - last >= timedelta(seconds=subscriber.realert_s):
            return None
        return f"realert: {subscriber.name} was told about this rule and key at {last:%Y-%m-%d %H:%M} UTC (at most one alert per {subscriber.realert_s} s)"

    def _event(
        self,
        ref: AlertRef,
        article: Article,
        match: Match,
        fact: dict[str, object],
        decision: Decision,
        subscriber: SubscriberSettings,
        known: Prior | None,
    ) -> AlertEvent:
        requests: list[AlertRequest] = []
        held = None
        if decision.notifies:
            previous = known.fact if known and known.notified and decision.outcome == "update" else None
            sources, more = self._sources(ref.story_id)
            content = AlertContent(match, article, sources, more, decision.outcome, previous)
            parts = ["story", ref.rule_id, ref.key, str(ref.story_id), ref.subscriber, decision.outcome]
            if decision.outcome == "update":
                parts.append(str(article.id))
            hold = hold_for(subscriber, match.severity, self._now)
            if hold is None:
                templates = self._resources.templates(subscriber, ref.rule_id)
                channels = self._resources.channels(subscriber)
                requests = notifications(content, subscriber, templates, parts, channels)
            else:
                held = HeldAlert(hold.reason, hold.until, alert_context(content), digest_key("hold", *parts))
        return AlertEvent(
            ref=ref,
            article_id=article.id,
            outcome=decision.outcome,
            note=decision.note,
            fact=fact,
            rule_title=match.rule_title,
            severity=match.severity,
            notifications=requests,
            held=held,
        )

    def _sources(self, story_id: int) -> tuple[tuple[StorySource, ...], int]:
        """The story's newest ``alerting.max_sources`` articles, oldest first, and how many are left out."""
        limit = self._settings.alerting.max_sources
        stored, stored_total = self._history.stories.get(story_id, ((), 0))
        members = {s.article_id: s for s in stored}
        batch = self._members.get(story_id, {})
        unseen = sum(1 for article_id in batch if article_id not in members)
        members.update(batch)
        ordered = sorted(members.values(), key=lambda s: (s.published_at, s.article_id))[-limit:]
        return tuple(ordered), max(stored_total + unseen - len(ordered), 0)


def _story_of(article: Article) -> int:
    return article.story_id or article.id
