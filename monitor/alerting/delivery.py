"""Sending one claimed outbox row through apprise, and the ``subscribers test`` check.

``Deliverer.deliver`` never raises for a failed delivery: a channel that is down is the normal case for a
retrying outbox, so the caller gets ``ok=False`` and apprise's own reason (collected per call by apprise,
so concurrent deliveries never see each other's log lines), records it and schedules a retry. Exceptions
apprise raises are translated into that same result here; nothing above this module sees one.

Each delivery builds a fresh apprise object for its one channel: apprise throttles repeated sends through
the same plugin object, and the outbox already spaces retries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime

import apprise

from monitor.alerting.masking import mask, redact_urls
from monitor.domain import DeliveryResult, OutboxItem
from monitor.settings.models import DeliverySettings, SubscriberSettings

log = logging.getLogger(__name__)

_FORMATS = {
    "text": apprise.NotifyFormat.TEXT,
    "markdown": apprise.NotifyFormat.MARKDOWN,
    "html": apprise.NotifyFormat.HTML,
}
TEST_TITLE = "newsmon test notification"
TEST_BODY = "If you can read this, subscriber {name} receives newsmon alerts on this channel."


class Deliverer:
    """Delivers outbox items one channel at a time, within ``policy.timeout_s`` each."""

    def __init__(self, policy: DeliverySettings) -> None:
        self._timeout_s = policy.timeout_s

    async def deliver(self, item: OutboxItem, now: datetime) -> DeliveryResult:
        """Send ``item`` to its channel; ``ok`` only when apprise reports success."""
        error = await _send_async(item.channel, item.title, item.body, item.body_format, self._timeout_s)
        fields = {
            "action": "alert_sent" if error is None else "alert_failed",
            "outbox_id": item.id,
            "subscriber": item.subscriber,
            "channel": mask(item.channel),
            "attempt": item.attempts + 1,
        }
        # the pipeline logs the outcome with the retry decision; this line is for debugging apprise itself
        log.debug("apprise returned: %s", error or "ok", extra=fields)
        return DeliveryResult(outbox_id=item.id, ok=error is None, attempted_at=now, error=error)


def send_test(
    subscriber: SubscriberSettings, timeout_s: float = 30.0, channels: Sequence[str] | None = None
) -> list[tuple[str, bool, str | None]]:
    """Send a test notification to each channel (default: the subscriber's ``urls``): (masked URL, ok,
    error) per URL."""
    body = TEST_BODY.format(name=subscriber.name)
    results: list[tuple[str, bool, str | None]] = []
    for url in subscriber.urls if channels is None else channels:
        error = _send_sync(url, TEST_TITLE, body, timeout_s)
        results.append((mask(url), error is None, error))
    return results


async def _send_async(channel: str, title: str, body: str, body_format: str, timeout_s: float) -> str | None:
    """None on success, else why not."""
    sender = _apprise_for(channel)
    if sender is None:
        return f"not a usable channel URL: {mask(channel)}"
    try:
        result = await sender.async_notify(
            body=body,
            title=title,
            body_format=_FORMATS.get(body_format, apprise.NotifyFormat.TEXT),
            timeout=timeout_s,
            log_level=logging.DEBUG,  # the cause of an SMTP failure is logged at debug (_failure_reason)
        )
    except Exception as exc:  # apprise's door: whatever it raises becomes a failed delivery
        return redact_urls(f"apprise raised {type(exc).__name__}: {exc}")
    return _failure_reason(result)


def _send_sync(channel: str, title: str, body: str, timeout_s: float) -> str | None:
    sender = _apprise_for(channel)
    if sender is None:
        return f"not a usable channel URL: {mask(channel)}"
    try:
        result = sender.notify(
            body=body,
            title=title,
            body_format=apprise.NotifyFormat.TEXT,
            timeout=timeout_s,
            log_level=logging.DEBUG,
        )
    except Exception as exc:  # apprise's door, as in _send_async
        return redact_urls(f"apprise raised {type(exc).__name__}: {exc}")
    return _failure_reason(result)


def _apprise_for(channel: str) -> apprise.Apprise | None:
    sender = apprise.Apprise()
    return sender if sender.add(channel) else None


def _failure_reason(result: apprise.AppriseResult) -> str | None:
    """None when apprise reports success; else its warnings and errors for this call, or its status.

    apprise logs the cause of an SMTP failure (a refused login, a 5xx reply) only at debug level, under a
    warning that says "Connection error"; the cause is what a person needs, so it replaces that line.
    """
    with result:
        if result:
            return None
        entries = list(result.logs())
        lines = [entry.message for entry in entries if entry.level in ("WARNING", "ERROR", "CRITICAL")]
        smtp = next(filter(None, (_smtp_failure(entry.message) for entry in entries)), None)
        if smtp is not None:
            lines = [smtp if line.startswith("Connection error") else line for line in lines]
        reasons = list(dict.fromkeys(lines))  # apprise repeats itself per attempt
        return (
            redact_urls("; ".join(reasons)) if reasons else f"apprise reported {result.status.name.lower()}"
        )


_SMTP_REPLY = re.compile(r"Socket Exception: \((\d{3}), b?['\"](.*)['\"]\)\s*$", re.DOTALL)
_SMTP_AUTH_CODES = frozenset({"530", "534", "535", "538"})


def _smtp_failure(message: str) -> str | None:
    """ "authentication failed (SMTP 535 …)" or "the mail server refused (SMTP 5xx …)" from apprise's
    debug line with the SMTP reply, or None when the line is not one."""
    found = _SMTP_REPLY.match(message)
    if found is None:
        return None
    code, text = found.group(1), found.group(2).replace("\\n", " ").strip()
    if code in _SMTP_AUTH_CODES:
        return f"authentication failed (SMTP {code} {text}): check the user and password of the mailto:// URL"
    return f"the mail server refused (SMTP {code} {text})"
