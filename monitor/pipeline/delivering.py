"""Step 3: claim due outbox rows, deliver each through its channel, record the outcome (transaction 3).

A row is marked sent only after the channel accepted it; a failure is retried with capped backoff until
the age limit, then the row is dead (visible in ``newsmon alerts list --failed`` and the logs).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from monitor import alerting, storage
from monitor.domain import DeliveryResult, OutboxItem
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.observe import DeliveryObserved

log = logging.getLogger(__name__)


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0


async def drain_outbox(context: PipelineContext, now: datetime) -> DrainReport:
    """Deliver every outbox row due now, concurrently within a batch; returns between batches on stop."""
    report = DrainReport()
    policy = context.settings.delivery
    while not context.stop.is_set():
        items = await asyncio.to_thread(
            storage.claim_due_outbox, context.db, now, policy.batch_size, policy.lease_s
        )
        results = await asyncio.gather(*(context.deliverer.deliver(item, now) for item in items))
        for item, result in zip(items, results, strict=True):
            await _record(context, item, result, now, report)
        if len(items) < policy.batch_size:
            break
    return report


async def _record(
    context: PipelineContext, item: OutboxItem, result: DeliveryResult, now: datetime, report: DrainReport
) -> None:
    masked = alerting.mask(item.channel)
    retry_at = None if result.ok else alerting.next_attempt(item, now, context.settings.delivery)
    dead = not result.ok and retry_at is None
    await asyncio.to_thread(storage.record_delivery, context.db, result, masked, retry_at, dead)
    context.observers.emit(
        DeliveryObserved(
            channel_kind=item.channel.split("://", 1)[0].lower() if "://" in item.channel else "unknown",
            result="sent" if result.ok else "dead" if dead else "retry",
            latency_s=(result.attempted_at - item.created_at).total_seconds() if result.ok else None,
        )
    )
    if result.ok:
        report.sent += 1
        log.info(
            "alert delivered",
            extra={
                "action": "deliver.ok",
                "outbox": item.id,
                "subscriber": item.subscriber,
                "channel": masked,
            },
        )
        return
    report.dead += dead
    report.failed += not dead
    log.log(
        logging.ERROR if dead else logging.WARNING,
        "alert delivery failed for good" if dead else "alert delivery failed; will retry",
        extra={
            "action": "deliver.dead" if dead else "deliver.retry",
            "outbox": item.id,
            "subscriber": item.subscriber,
            "channel": masked,
            "error": result.error,
            "attempt": item.attempts + 1,
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
    )
