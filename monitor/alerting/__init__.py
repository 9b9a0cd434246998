"""Alerting: route a match to the subscribers that want it, render it, and deliver it through apprise.

    route(match, article, subscribers, notify)  → list[AlertRequest]   (pure; written as outbox rows)
    render(match, article, fmt)                 → (title, body)         (templates/*.j2, sandboxed)
    Deliverer(policy).deliver(item, now)        → DeliveryResult        (never raises for a failed send)
    next_attempt(item, now, policy)             → datetime | None       (None: give up, the row is dead)
    validate_channels(settings), check_templates()  → list[Problem]     (start-up checks, file:line)
    send_test(subscriber), mask(url)

Importing this package registers the built-in channels ``console://`` and ``jsonl:///path`` with apprise.
apprise and jinja2 are used here and nowhere else.
"""

from monitor.alerting.backoff import next_attempt, retry_delay_s
from monitor.alerting.channels import (
    mask,
    parse_location,
    register_builtin_channels,
    validate_channels,
)
from monitor.alerting.delivery import Deliverer, send_test
from monitor.alerting.routing import dedupe_key, route
from monitor.alerting.templates import Templates, check_templates, render

register_builtin_channels()

__all__ = [
    "Deliverer",
    "Templates",
    "check_templates",
    "dedupe_key",
    "mask",
    "next_attempt",
    "parse_location",
    "render",
    "retry_delay_s",
    "route",
    "send_test",
    "validate_channels",
]
