"""The digest step: send everything held for a subscriber — for their digest or their quiet hours — as one
message once its time has come.

``flush_digests(context, now)`` is a step like the others: the daemon calls it on a tick with its clock,
tests with a fixed one. Held alerts live in the database with their release time, so a restart, or a
daemon that was down at 08:00, loses nothing: the next tick after the time sends them. Several daemons
may flush at once; ``storage.release_holds`` lets exactly one of them queue each digest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor import alerting, storage
from monitor.domain import AlertRequest
from monitor.pipeline.context import PipelineContext
from monitor.settings.models import SubscriberSettings

log = logging.getLogger(__name__)


@dataclass
class DigestReport:
    messages: int = 0  # digests (or single held alerts) queued, one per subscriber
    alerts: int = 0  # held alerts they carry
    notifications: int = 0  # outbox rows created (one per channel URL)


def flush_digests(context: PipelineContext, now: datetime) -> DigestReport:
    """Queue one message per subscriber with held alerts due at ``now``; the outbox delivers it."""
    report = DigestReport()
    for name, holds in storage.due_holds(context.db, now).items():
        subscriber = context.settings.subscriber(name)
        key = alerting.digest_key("digest", name, *(str(hold.id) for hold in holds))
        requests = _messages(context, subscriber, holds, key) if subscriber else []
        created = storage.release_holds(context.db, now, [hold.id for hold in holds], key, requests)
        if subscriber is None:
            log.warning(
                "held alerts dropped: the subscriber is no longer configured",
                extra={"action": "digest.dropped", "subscriber": name, "alerts": len(holds)},
            )
            continue
        if created:
            report.messages += 1
            report.alerts += len(holds)
            report.notifications += created
            log.info(
                "held alerts queued as one message",
                extra={
                    "action": "digest.queued",
                    "subscriber": name,
                    "alerts": len(holds),
                    "digest": key[:12],
                },
            )
    return report


def _messages(
    context: PipelineContext, subscriber: SubscriberSettings, holds: Sequence[storage.HeldRecord], key: str
) -> list[AlertRequest]:
    """A digest of the held alerts; a single alert held through quiet hours goes out as itself."""
    reason = "digest" if any(hold.reason == "digest" for hold in holds) else "quiet hours"
    if len(holds) == 1 and reason != "digest":
        rule_id = str(holds[0].item["rule"]["id"])
        templates = alerting.templates_for(alerting.template_search(context.settings, subscriber, rule_id))
        channels = alerting.channels_of(context.settings, subscriber)
        return alerting.held_notifications(holds[0].item, subscriber, templates, (key,), channels)
    templates = alerting.templates_for(alerting.template_search(context.settings, subscriber, ""))
    items = [dict(hold.item) for hold in holds]
    digest = alerting.digest_context(subscriber.name, reason, items, subscriber.timezone)
    channels = alerting.channels_of(context.settings, subscriber)
    return alerting.digest_notifications(digest, subscriber, templates, (key,), channels)
