"""When a feed is polled next: its interval with jitter, the publisher's Retry-After, capped backoff.

Pure functions of their arguments (the random source is passed in) so the policy is testable with a fixed
clock and a seeded generator.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from monitor.settings import PollingSettings


def next_poll_after_success(
    now: datetime, interval_s: int, policy: PollingSettings, rng: random.Random
) -> datetime:
    """The interval ± jitter, so feeds configured alike drift apart instead of polling in lockstep."""
    spread = interval_s * policy.jitter_fraction
    return now + timedelta(seconds=max(1.0, interval_s + rng.uniform(-spread, spread)))


def next_poll_after_error(
    now: datetime,
    interval_s: int,
    error_count: int,
    policy: PollingSettings,
    rng: random.Random,
    retry_after_s: float | None = None,
) -> datetime:
    """Capped exponential backoff, never sooner than the feed's interval nor the publisher's Retry-After.

    Retry-After is honoured up to ``backoff_max_s``: a publisher cannot switch a feed off for good (or,
    with ``99999999999999999999``, overflow the date arithmetic). ``error_count`` counts consecutive failures including this one (1 after the first failure).
    """
    backoff = min(policy.backoff_max_s, policy.backoff_base_s * 2 ** max(0, error_count - 1))
    delay = max(float(interval_s), backoff * rng.uniform(0.8, 1.2))
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, float(policy.backoff_max_s)))
    return now + timedelta(seconds=delay)
