"""Planning a batch's alerts: one read of what storage knows, then ``alerting.plan`` (pure).

Processing evaluates a whole batch first, then calls ``plan_alerts`` once with every article of it, in order
(articles without matches too: they are sources of their story). The history the planner needs — the
alerts of the batch's rules and keys, their last notifications, recent matches for inhibition, the stories'
sources — is loaded in one read (``storage.load_alert_history``), and the silences in force in another,
however many matches and subscribers the batch has. The events go into ``storage.ProcessedArticle(alert_events=…)``, so
alerts, sources, outbox rows and held alerts commit in the batch's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from monitor import alerting, storage
from monitor.domain import AlertEvent
from monitor.pipeline.context import PipelineContext

log = logging.getLogger(__name__)


def plan_alerts(
    context: PipelineContext, batch: Sequence[alerting.BatchItem], now: datetime
) -> list[list[AlertEvent]]:
    """The alert events of each item of ``batch``, in order."""
    settings = context.settings
    history = load_history(context, alerting.history_wanted(batch, settings, now), now)
    notify = {rule.id: rule.notify for rule in context.ruleset.rules}
    planned = alerting.plan(batch, history, settings, notify, alerting.Resources(settings), now)
    for item, events in zip(batch, planned, strict=True):
        for event in events:
            _log(event, item.article.id)
    return planned


def load_history(
    context: PipelineContext, wanted: alerting.HistoryWanted, now: datetime
) -> alerting.AlertHistory:
    """What storage knows that ``wanted`` names, as the planner reads it."""
    snapshot = storage.load_alert_history(
        context.db,
        wanted.pairs,
        wanted.stories,
        context.settings.alerting.max_sources,
        wanted.recent_rules,
        wanted.since,
    )
    last_notified: dict[tuple[str, str, str], datetime] = {}
    for ref, state in snapshot.alerts.items():
        where = (ref.rule_id, ref.key, ref.subscriber)
        if state.notified_at is not None and (
            where not in last_notified or state.notified_at > last_notified[where]
        ):
            last_notified[where] = state.notified_at
    return alerting.AlertHistory(
        alerts={
            ref: alerting.Prior(state.notified, dict(state.fact)) for ref, state in snapshot.alerts.items()
        },
        last_notified=last_notified,
        recent={
            (rule_id, key): [alerting.PastMatch(rule_id, _state(captures), at) for captures, at in found]
            for (rule_id, key), found in snapshot.recent.items()
        },
        stories={
            story_id: (tuple(_source(found) for found in sources), total)
            for story_id, (sources, total) in snapshot.stories.items()
        },
        silences=storage.list_silences(context.db, now),
    )


def _state(captures: object) -> str | None:
    state = captures.get("state") if isinstance(captures, dict) else None
    return state if isinstance(state, str) else None


def _source(found: storage.StoryArticle) -> alerting.StorySource:
    return alerting.StorySource(
        found.article_id, found.title, found.link, found.feed_name, found.published_at, found.date_is_fallback
    )


def _log(event: AlertEvent, article_id: int) -> None:
    notifies = event.outcome in alerting.NOTIFYING
    log.log(
        logging.INFO if notifies else logging.DEBUG,
        "alert planned" if notifies else "alert source recorded",
        extra={
            "action": f"alert.{event.outcome}",
            "rule": event.ref.rule_id,
            "key": event.ref.key,
            "story": event.ref.story_id,
            "subscriber": event.ref.subscriber,
            "article": article_id,
            "note": event.note,
        },
    )
