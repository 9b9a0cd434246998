"""When to try a failed alert again: capped exponential backoff with jitter, and when to give up.

A channel that is down for an hour should not be hammered every tick, and N daemons that failed at the same
moment should not all retry at the same moment either: hence the doubling and the jitter. An alert that
could not be sent for ``max_age_s`` is news nobody wants any more: it is dead (kept in the outbox, never
sent), and storage marks it so.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from monitor.domain import OutboxItem
from monitor.settings.models import DeliverySettings

# 2**40 × any base is already far past any cap; stops the integer from growing with absurd attempt counts
_MAX_EXPONENT = 40


def retry_delay_s(
    attempts: int, policy: DeliverySettings, rand: Callable[[], float] = random.random
) -> float:
    """Seconds to wait after a failure, ``attempts`` counting the attempts made before the one that failed.

    The ceiling doubles from ``backoff_base_s`` (0 earlier attempts → base, 1 → 2×base, …) up to
    ``backoff_max_s``; the delay is drawn from the upper half of it ("equal jitter"), so it never exceeds
    the cap and never collapses to zero. ``rand`` returns a float in [0, 1]; tests pass a constant.
    """
    exponent = min(max(attempts, 0), _MAX_EXPONENT)
    ceiling = min(float(policy.backoff_base_s) * 2**exponent, float(policy.backoff_max_s))
    return ceiling / 2 + (ceiling / 2) * rand()


def next_attempt(
    item: OutboxItem,
    now: datetime,
    policy: DeliverySettings,
    rand: Callable[[], float] = random.random,
) -> datetime | None:
    """When the delivery loop should try ``item`` again after a failure at ``now``; None means dead.

    ``item.attempts`` is the number of attempts before this failed one, as the outbox row was claimed.
    The last retry is made exactly at the age limit (the backoff is cut there); its failure is final.
    """
    deadline = item.created_at + timedelta(seconds=policy.max_age_s)
    if now >= deadline:
        return None
    return min(now + timedelta(seconds=retry_delay_s(item.attempts, policy, rand)), deadline)
