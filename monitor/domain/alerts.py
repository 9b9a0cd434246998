"""Frozen values of the alerting stages: a rendered notification, an outbox row, a delivery's outcome, and
a story alert's reference, events and held digest items (they travel between alerting and storage).

Nothing here does I/O or knows a library. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ALERT_FORMATS = ("text", "markdown", "html")
"""The formats an alert body is rendered in (``AlertRequest.body_format``)."""


@dataclass(frozen=True)
class AlertRequest:
    """One rendered notification for one subscriber channel, ready to be written to the outbox."""

    rule_id: str
    article_id: int
    subscriber: str
    channel: str  # the apprise URL (secret-bearing: never log it unmasked)
    dedupe_key: str  # unique in the outbox: a replay never sends twice
    title: str
    body: str
    body_format: str = "text"  # "text", "markdown" or "html"
    channel_index: int | None = None  # position of ``channel`` in the subscriber's channel list


@dataclass(frozen=True)
class OutboxItem:
    """An outbox row claimed for delivery. ``channel`` is a label without secrets: the URL is resolved
    from the current config by ``channel_index`` and checked against ``channel_fingerprint``."""

    id: int
    subscriber: str
    channel: str
    title: str
    body: str
    body_format: str
    attempts: int
    created_at: datetime
    dedupe_key: str = ""  # the idempotency key channels that accept one receive
    channel_index: int | None = None
    channel_fingerprint: str | None = None
    recovered: bool = False  # left "sending" by a worker that died: this is a send again
    rule_id: str = ""
    article_id: int = 0
    alert_id: int | None = None
    # what the alert is about, for channels that carry fields (``jsonl://``); empty when its alert or
    # article row is gone (retention) or the row is no story alert (a test notification, a source notice)
    key: str = ""
    severity: str = ""
    story_id: int | None = None
    link: str = ""
    fact: Mapping[str, Any] = field(default_factory=dict)  # the state or figure this article reported


@dataclass(frozen=True)
class DeliveryResult:
    outbox_id: int
    ok: bool
    attempted_at: datetime
    error: str | None = None


@dataclass(frozen=True)
class AlertRef:
    """The natural key of an alert: what it is about and who was told."""

    rule_id: str
    key: str
    story_id: int
    subscriber: str


@dataclass(frozen=True)
class HeldAlert:
    """A notification kept for a digest or until quiet hours end; ``item`` is its template variables."""

    reason: str  # "digest" or "quiet hours"
    release_at: datetime
    item: Mapping[str, Any]
    hold_key: str  # unique: a replayed decision holds nothing twice


@dataclass(frozen=True)
class AlertEvent:
    """What one article did to one alert. ``outcome``: alert, update, recorded, silenced, inhibited or
    throttled; only alert and update carry ``notifications`` (outbox rows) or a ``held`` alert."""

    ref: AlertRef
    article_id: int
    outcome: str
    note: str = ""
    fact: Mapping[str, Any] = field(default_factory=dict)
    rule_title: str = ""
    severity: str = "medium"
    notifications: Sequence[AlertRequest] = ()
    held: HeldAlert | None = None
