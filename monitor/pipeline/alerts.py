"""Planning a batch's alerts: one alert per story, updates only with news, silences, inhibition, realert,
digests and quiet hours — decided per (rule, key, story, subscriber), written with the matches.

Processing creates one ``AlertPlanner`` per batch and calls ``plan`` for every article of the batch, in
order, also for articles without matches (they are sources of their story). The planner reads what the
database knows (alerts so far, story members, silences, recent matches) and lays the decisions of the
batch in hand over it, like ``BatchMemory`` does for rule state: article 2 of a batch sees the alert that
article 1 opened. Its events go into ``storage.ProcessedArticle(alert_events=…)``, so alerts, sources,
outbox rows and held alerts commit in the article's transaction. Each decision is ``alerting.decide``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor import alerting, rules, storage
from monitor.domain import AlertRequest, Article, Match
from monitor.pipeline.context import PipelineContext
from monitor.settings.models import SubscriberSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Known:
    """An alert as the batch knows it: stored, or decided earlier in this batch."""

    notified: bool
    fact: dict[str, object]


class AlertPlanner:
    """The alert decisions of one processing batch, at one ``now``."""

    def __init__(self, context: PipelineContext, now: datetime) -> None:
        self._settings = context.settings
        self._db = context.db
        self._ruleset = context.ruleset
        self._now = now
        self._silences = storage.list_silences(context.db, now)
        self._alerts: dict[storage.AlertRef, _Known] = {}
        self._story_members: dict[int, dict[int, alerting.StorySource]] = {}
        self._stored_sources: dict[int, tuple[list[storage.StoryArticle], int]] = {}
        self._matched: list[tuple[str, str, alerting.PastMatch]] = []  # (rule, key, match) of this batch
        self._notified: dict[tuple[str, str, str], datetime] = {}

    def plan(
        self, article: Article, evaluation: rules.Evaluation | Sequence[Match]
    ) -> list[storage.AlertEvent]:
        """The alert events of one article: its matches (``Evaluation.matches``) may alert or update; its
        held-back matches (``Evaluation.suppressed``) are recorded on alerts that exist."""
        story_id = article.story_id or article.id
        self._story_members.setdefault(story_id, {})[article.id] = _source_of(article)
        events: list[storage.AlertEvent] = []
        for match in evaluation:
            events.extend(self._plan(article, story_id, match, passed=True))
            state = alerting.fact_of(match).get("state")
            past = alerting.PastMatch(match.rule_id, state if isinstance(state, str) else None, self._now)
            self._matched.append((match.rule_id, match.key, past))
        for match in getattr(evaluation, "suppressed", ()):
            events.extend(self._plan(article, story_id, match, passed=False))
        return events

    def _plan(
        self, article: Article, story_id: int, match: Match, *, passed: bool
    ) -> list[storage.AlertEvent]:
        rule = self._ruleset.get(match.rule_id)
        fact = alerting.fact_of(match)
        events = []
        for subscriber in alerting.recipients(match, self._settings.subscribers, rule.notify if rule else ()):
            ref = storage.AlertRef(match.rule_id, match.key, story_id, subscriber.name)
            known = self._known(ref)
            prior = alerting.Prior(known.notified, known.fact) if known else None
            decision = alerting.decide(
                fact,
                prior,
                self._reasons(match, fact, subscriber) if passed else None,
                passed=passed,
                rule_note=match.explanation[-1] if match.explanation else "",
            )
            if decision is None:
                continue
            events.append(self._event(ref, article, match, fact, decision, subscriber, known))
            self._remember(ref, decision, fact, known)
            _log(ref, article, decision)
        return events

    def _known(self, ref: storage.AlertRef) -> _Known | None:
        if ref in self._alerts:
            return self._alerts[ref]
        stored = storage.find_alert(self._db, ref)
        if stored is None:
            return None
        return _Known(stored.status == "notified", dict(stored.fact))

    def _remember(
        self,
        ref: storage.AlertRef,
        decision: alerting.Decision,
        fact: dict[str, object],
        known: _Known | None,
    ) -> None:
        if decision.notifies:
            self._alerts[ref] = _Known(True, fact)
            self._notified[(ref.rule_id, ref.key, ref.subscriber)] = self._now
        elif known is None and decision.outcome != "recorded":
            self._alerts[ref] = _Known(False, fact)

    def _reasons(
        self, match: Match, fact: dict[str, object], subscriber: SubscriberSettings
    ) -> alerting.Reasons:
        silence = alerting.silence_for(self._silences, match.rule_id, match.key, subscriber.name, self._now)
        inhibits = self._settings.alerting.inhibit

        def past(rule_id: str, since: datetime) -> list[alerting.PastMatch]:
            return self._past_matches(rule_id, match.key, since)

        return alerting.Reasons(
            silenced=alerting.silence_note(silence) if silence else None,
            inhibited=alerting.inhibition_for(inhibits, match.rule_id, fact, past, self._now)
            if inhibits
            else None,
            throttled=self._throttled(match, subscriber),
        )

    def _past_matches(self, rule_id: str, key: str, since: datetime) -> list[alerting.PastMatch]:
        found = [past for rule, k, past in self._matched if rule == rule_id and k == key and past.at >= since]
        for captures, at in storage.recent_matches(self._db, rule_id, key, since):
            state = captures.get("state")
            found.append(alerting.PastMatch(rule_id, state if isinstance(state, str) else None, at))
        return found

    def _throttled(self, match: Match, subscriber: SubscriberSettings) -> str | None:
        if not subscriber.realert_s:
            return None
        where = (match.rule_id, match.key, subscriber.name)
        last = self._notified.get(where) or storage.last_notified_at(self._db, *where)
        if last is None or self._now - last >= timedelta(seconds=subscriber.realert_s):
            return None
        return f"realert: {subscriber.name} was told about this rule and key at {last:%Y-%m-%d %H:%M} UTC (at most one alert per {subscriber.realert_s} s)"

    def _event(
        self,
        ref: storage.AlertRef,
        article: Article,
        match: Match,
        fact: dict[str, object],
        decision: alerting.Decision,
        subscriber: SubscriberSettings,
        known: _Known | None,
    ) -> storage.AlertEvent:
        notifications: list[AlertRequest] = []
        held = None
        if decision.notifies:
            previous = known.fact if known and known.notified and decision.outcome == "update" else None
            sources, more = self._sources(ref.story_id)
            content = alerting.AlertContent(match, article, sources, more, decision.outcome, previous)
            parts = ["story", ref.rule_id, ref.key, str(ref.story_id), ref.subscriber, decision.outcome]
            if decision.outcome == "update":
                parts.append(str(article.id))
            hold = alerting.hold_for(subscriber, match.severity, self._now)
            if hold is None:
                search = alerting.template_search(self._settings, subscriber, ref.rule_id)
                templates = alerting.templates_for(search)
                channels = alerting.channels_of(self._settings, subscriber)
                notifications = alerting.notifications(content, subscriber, templates, parts, channels)
            else:
                item = alerting.alert_context(content)
                held = storage.HeldAlert(hold.reason, hold.until, item, alerting.digest_key("hold", *parts))
        return storage.AlertEvent(
            ref=ref,
            article_id=article.id,
            outcome=decision.outcome,
            note=decision.note,
            fact=fact,
            rule_title=match.rule_title,
            severity=match.severity,
            notifications=notifications,
            held=held,
        )

    def _sources(self, story_id: int) -> tuple[tuple[alerting.StorySource, ...], int]:
        """The story's newest ``alerting.max_sources`` articles, oldest first, and how many are left out."""
        limit = self._settings.alerting.max_sources
        if story_id not in self._stored_sources:
            self._stored_sources[story_id] = storage.story_articles(self._db, story_id, limit)
        stored, stored_total = self._stored_sources[story_id]
        members = {s.article_id: _from_storage(s) for s in stored}
        batch = self._story_members.get(story_id, {})
        unseen = sum(1 for article_id in batch if article_id not in members)
        members.update(batch)
        ordered = sorted(members.values(), key=lambda s: (s.published_at, s.article_id))[-limit:]
        total = stored_total + unseen
        return tuple(ordered), max(total - len(ordered), 0)


def _source_of(article: Article) -> alerting.StorySource:
    return alerting.StorySource(
        article.id,
        article.title,
        article.link,
        article.feed_name,
        article.published_at,
        article.date_is_fallback,
    )


def _from_storage(found: storage.StoryArticle) -> alerting.StorySource:
    return alerting.StorySource(
        found.article_id, found.title, found.link, found.feed_name, found.published_at, found.date_is_fallback
    )


def _log(ref: storage.AlertRef, article: Article, decision: alerting.Decision) -> None:
    log.log(
        logging.INFO if decision.notifies else logging.DEBUG,
        "alert planned" if decision.notifies else "alert source recorded",
        extra={
            "action": f"alert.{decision.outcome}",
            "rule": ref.rule_id,
            "key": ref.key,
            "story": ref.story_id,
            "subscriber": ref.subscriber,
            "article": article.id,
            "note": decision.note,
        },
    )
