"""Sending one claimed outbox row through apprise, and the ``subscribers test`` check.

``Deliverer.deliver`` never raises for a failed delivery: a channel that is down is the normal case for a
retrying outbox, so the caller gets ``ok=False`` and apprise's own reason (collected per call by apprise,
so concurrent deliveries never see each other's log lines), records it and schedules a retry. Exceptions
apprise raises are translated into that same result here; nothing above this module sees one.

Each delivery builds a fresh apprise object for its one channel: apprise throttles repeated sends through
the same plugin object, and the outbox already spaces retries. apprise loads at the first send, not when a
``Deliverer`` is made (``registry.py``): a poll with nothing to deliver never loads it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from monitor.alerting import jsonl
from monitor.alerting.channels import scheme_of
from monitor.alerting.masking import mask, redact_urls
from monitor.domain import DeliveryResult, OutboxItem
from monitor.settings.models import DeliverySettings, SubscriberSettings

if TYPE_CHECKING:
    import apprise

log = logging.getLogger(__name__)

_FORMATS = frozenset({"text", "markdown", "html"})  # apprise's NotifyFormat values
WEBHOOK_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})
EMAIL_SCHEMES = frozenset({"mailto", "mailtos"})
TEST_TITLE = "newsmon test notification"
TEST_BODY = "If you can read this, subscriber {name} receives newsmon alerts on this channel."


class Deliverer:
    """Delivers outbox items one channel at a time, waiting for each call to end.

    A send that outlasts ``policy.timeout_s`` is NOT abandoned: the channel may still accept it, and a
    retry would then deliver it twice. It is logged as slow and waited for, up to ``policy.give_up_s``,
    which is also the socket timeout given to the channel (``cto``/``rto``), so the call ends by itself by
    then. A send that fails after that long has an unknown outcome; it is retried (at-least-once).
    """

    def __init__(self, policy: DeliverySettings) -> None:
        self._slow_s = policy.timeout_s
        self._give_up_s = max(policy.give_up_s, policy.timeout_s)

    async def deliver(self, item: OutboxItem, url: str, now: datetime) -> DeliveryResult:
        """Send ``item`` to ``url`` (its channel, resolved from the current config); ``ok`` only when
        apprise reports success. ``item.dedupe_key`` goes along as the idempotency key."""
        target = with_idempotency_key(with_timeouts(url, self._give_up_s), item)
        send = asyncio.ensure_future(_send_async(target, item.title, item.body, item.body_format))
        done, _ = await asyncio.wait({send}, timeout=self._slow_s)
        if not done:
            log.warning(
                "a channel is slow: still waiting for it rather than sending again",
                extra={"action": "deliver.slow", "outbox": item.id, "waited_s": self._slow_s},
            )
        error = await send
        # the pipeline logs the outcome with the retry decision; this line is for debugging apprise itself
        log.debug("apprise returned: %s", error or "ok", extra={"outbox_id": item.id})
        return DeliveryResult(outbox_id=item.id, ok=error is None, attempted_at=now, error=error)


def with_timeouts(url: str, seconds: float) -> str:
    """``url`` with apprise's connect and read socket timeouts set (unless the URL sets its own)."""
    return _with_args(url, {"cto": f"{seconds:g}", "rto": f"{seconds:g}"})


def with_idempotency_key(url: str, item: OutboxItem) -> str:
    """``url`` carrying the row's idempotency key where the channel kind takes one: HTTP webhooks get
    ``Idempotency-Key`` and ``X-Newsmon-Id`` headers (``json://`` also ``alert_fields`` in its payload), e-mail an
    ``X-Newsmon-Id`` header, ``jsonl://`` ``alert_fields`` in its line. Other kinds get nothing (at-least-once)."""
    if not item.dedupe_key:
        return url
    scheme = scheme_of(url) or ""
    key = item.dedupe_key
    if scheme in WEBHOOK_SCHEMES:
        headers = {"+Idempotency-Key": key, "+X-Newsmon-Id": key}
        if scheme in ("json", "jsons"):  # apprise adds ":name=value" arguments to the JSON payload
            headers |= {f":{name}": value for name, value in alert_fields(item).items()}
        return _with_args(url, headers)
    if scheme in EMAIL_SCHEMES:
        return _with_args(url, {"+X-Newsmon-Id": key})
    if scheme == jsonl.SCHEME:
        return _with_args(url, alert_fields(item))
    return url


FACT_FIELDS = ("state", "value", "unit")


def alert_fields(item: OutboxItem) -> dict[str, str]:
    """What a machine reading the alert needs beside its text: the idempotency key, the rule, the article,
    alert and story ids, the key, severity and link, and the state or figure (those the row has)."""
    fields = {"id": item.dedupe_key, "rule": item.rule_id, "article": str(item.article_id)}
    if item.alert_id is not None:
        fields["alert"] = str(item.alert_id)
    if item.story_id is not None:
        fields["story"] = str(item.story_id)
    fields |= {"key": item.key, "severity": item.severity, "link": item.link}
    for name in FACT_FIELDS:
        found = item.fact.get(name)
        if found is not None:
            whole = isinstance(found, float) and found.is_integer()
            fields[name] = str(int(found)) if whole else str(found)  # 2330000, not 2.33e+06
    return {name: value for name, value in fields.items() if value}


def _with_args(url: str, args: dict[str, str]) -> str:
    # appended as text: urlunsplit would turn "jsonl:///path" into "jsonl:/path"
    present = {name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    extra = [(name, value) for name, value in args.items() if name not in present]
    if not extra:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(extra, quote_via=quote)


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


async def _send_async(channel: str, title: str, body: str, body_format: str) -> str | None:
    """None on success, else why not. No overall timeout: the channel's socket timeouts end the call."""
    from monitor.alerting.registry import apprise

    sender = _apprise_for(channel)
    if sender is None:
        return f"not a usable channel URL: {mask(channel)}"
    try:
        result = await sender.async_notify(
            body=body,
            title=title,
            body_format=apprise.NotifyFormat(body_format if body_format in _FORMATS else "text"),
            log_level=logging.DEBUG,  # the cause of an SMTP failure is logged at debug (_failure_reason)
        )
    except Exception as exc:  # apprise's door: whatever it raises becomes a failed delivery
        return redact_urls(f"apprise raised {type(exc).__name__}: {exc}")
    return _failure_reason(result)


def _send_sync(channel: str, title: str, body: str, timeout_s: float) -> str | None:
    from monitor.alerting.registry import apprise

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
    from monitor.alerting.registry import apprise

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
