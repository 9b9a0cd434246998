"""Step 3: claim due outbox rows, deliver each through its channel, record each outcome as it ends.

Nothing is sent twice by newsmon itself:
- each send's outcome is committed the moment that send ends, not after its batch (a crash after 11 of 12
  accepted mails leaves 11 rows sent, not 12 pending);
- a claimed row is ``sending`` under this worker's id; the worker's heartbeat renews the claim while the
  send is in hand, however slow the channel; a slow send is waited for, never abandoned and sent again;
- each claim's lease is computed from the time of that claim, not the start of the step.
The one documented repeat: a row left ``sending`` by a worker that died is sent again once its lease runs
out (``recoveries`` counts it), with the same idempotency key so channels that take one can drop it.

The URL is resolved from the current configuration at each send (the outbox stores none): a fixed password
applies to pending retries; a row whose channel is no longer configured is marked dead with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from monitor import alerting, storage
from monitor.domain import DeliveryResult, OutboxItem
from monitor.pipeline.clock import advancing
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.observe import DeliveryObserved

log = logging.getLogger(__name__)
_LABEL_KIND = re.compile(r"\(([a-z][a-z0-9+.-]*)\)$")


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    recovered: int = 0  # rows a dead worker left "sending", sent again


async def drain_outbox(context: PipelineContext, now: datetime) -> DrainReport:
    """Deliver every outbox row due now, concurrently within a batch, each recorded as it ends; returns
    between batches on stop."""
    report = DrainReport()
    policy = context.settings.delivery
    clock = advancing(now)
    lease = context.lease
    while not context.stop.is_set():
        items = await asyncio.to_thread(
            storage.claim_due_outbox, context.db, clock(), policy.batch_size, lease.seconds, lease.worker
        )
        await asyncio.gather(*(_deliver_one(context, item, clock, report) for item in items))
        if len(items) < policy.batch_size:
            break
    return report


async def _deliver_one(
    context: PipelineContext, item: OutboxItem, clock: Callable[[], datetime], report: DrainReport
) -> None:
    if item.recovered:
        report.recovered += 1
        log.warning(
            "sending again an alert whose worker died while sending it (same idempotency key)",
            extra={"action": "deliver.recovered", "outbox": item.id, "subscriber": item.subscriber},
        )
    url = resolve_channel(context, item)
    if url is None:
        reason = f"channel {item.channel} is no longer in the configuration: not sent to the old address"
        result = DeliveryResult(outbox_id=item.id, ok=False, attempted_at=clock(), error=reason)
    else:
        result = await context.deliverer.deliver(item, url, clock())
    await _record(context, item, result, clock(), report, gone=url is None)


def resolve_channel(context: PipelineContext, item: OutboxItem) -> str | None:
    """The row's channel URL in the current config: the subscriber's channel at ``channel_index`` if it is
    still the same address (same fingerprint: a password may have changed), else the one channel of the
    subscriber with that fingerprint; None when neither exists (the channel was removed or moved)."""
    subscriber = context.settings.subscriber(item.subscriber)
    if subscriber is None:
        return None
    urls = alerting.channels_of(context.settings, subscriber)
    prints = [storage.channel_fingerprint(url) for url in urls]
    index = item.channel_index
    if index is not None and 0 <= index < len(urls) and prints[index] == item.channel_fingerprint:
        return urls[index]
    if item.channel_fingerprint in prints:
        return urls[prints.index(item.channel_fingerprint)]
    return None


async def _record(
    context: PipelineContext,
    item: OutboxItem,
    result: DeliveryResult,
    now: datetime,
    report: DrainReport,
    *,
    gone: bool = False,
) -> None:
    retry_at = None if result.ok or gone else alerting.next_attempt(item, now, context.settings.delivery)
    dead = not result.ok and retry_at is None
    changed = await asyncio.to_thread(
        storage.record_delivery, context.db, result, item.channel, retry_at, dead, context.lease.worker
    )
    context.observers.emit(
        DeliveryObserved(
            channel_kind=_kind(item.channel),
            result="sent" if result.ok else "dead" if dead else "retry",
            latency_s=(result.attempted_at - item.created_at).total_seconds() if result.ok else None,
        )
    )
    fields = {"outbox": item.id, "subscriber": item.subscriber, "channel": item.channel}
    if result.ok:
        report.sent += 1
        log.info("alert delivered", extra={"action": "deliver.ok", **fields})
        return
    if not changed:
        log.warning(
            "a failed send is not recorded on its row: another worker holds it now",
            extra={"action": "deliver.lost_claim", **fields},
        )
    report.dead += dead
    report.failed += not dead
    log.log(
        logging.ERROR if dead else logging.WARNING,
        "alert delivery failed for good" if dead else "alert delivery failed; will retry",
        extra={
            "action": "deliver.dead" if dead else "deliver.retry",
            **fields,
            "error": result.error,
            "attempt": item.attempts + 1,
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
    )


def _kind(label: str) -> str:
    """The channel kind (scheme) from an outbox label "subscriber #index (scheme)"."""
    found = _LABEL_KIND.search(label)
    return found.group(1) if found else "unknown"
