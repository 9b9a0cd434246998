"""Retry timing: delays double from the base up to the cap, with jitter, and an old alert is given up."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from monitor.alerting import next_attempt, retry_delay_s
from monitor.domain import OutboxItem
from monitor.settings.models import DeliverySettings

from .builders import NOW

POLICY = DeliverySettings(backoff_base_s=30, backoff_max_s=3600, max_age_s=48 * 3600)


def _item(attempts: int, age: timedelta = timedelta(minutes=5)) -> OutboxItem:
    return OutboxItem(
        id=1,
        subscriber="analysts",
        channel="console://",
        title="t",
        body="b",
        body_format="text",
        attempts=attempts,
        created_at=NOW - age,
    )


# (earlier attempts, ceiling in seconds): base × 2^attempts, capped at backoff_max_s
GROWTH = [(0, 30), (1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600), (8, 3600), (500, 3600)]


@pytest.mark.parametrize(("attempts", "ceiling_s"), GROWTH)
def test_the_delay_doubles_up_to_the_cap(attempts: int, ceiling_s: int) -> None:
    assert retry_delay_s(attempts, POLICY, rand=lambda: 1.0) == ceiling_s
    assert retry_delay_s(attempts, POLICY, rand=lambda: 0.0) == ceiling_s / 2


@pytest.mark.parametrize(("attempts", "ceiling_s"), GROWTH)
def test_jitter_stays_within_the_upper_half_of_the_ceiling(attempts: int, ceiling_s: int) -> None:
    rng = random.Random(attempts)
    delays = {retry_delay_s(attempts, POLICY, rand=rng.random) for _ in range(200)}
    assert all(ceiling_s / 2 <= delay <= ceiling_s for delay in delays)
    assert len(delays) > 100  # spread out: daemons that failed together do not retry together


def test_next_attempt_is_now_plus_the_delay() -> None:
    assert next_attempt(_item(attempts=2), NOW, POLICY, rand=lambda: 1.0) == NOW + timedelta(seconds=120)


@pytest.mark.parametrize(
    ("age", "dead"),
    [
        (timedelta(0), False),
        (timedelta(hours=47, minutes=59), False),
        (timedelta(hours=47, minutes=59, seconds=59), False),
        (timedelta(hours=48), True),  # the attempt at the age limit was the last one
        (timedelta(days=30), True),
    ],
)
def test_an_alert_older_than_max_age_is_dead(age: timedelta, dead: bool) -> None:
    when = next_attempt(_item(attempts=3, age=age), NOW, POLICY)
    assert (when is None) is dead


def test_the_default_policy_uses_real_jitter() -> None:
    when = next_attempt(_item(0), NOW, POLICY)
    assert when is not None and NOW + timedelta(seconds=15) <= when <= NOW + timedelta(seconds=30)


def test_the_last_retry_is_made_at_the_age_limit_not_after_it() -> None:
    item = _item(attempts=20, age=timedelta(hours=47, minutes=50))  # the backoff alone would wait 1 h
    assert next_attempt(item, NOW, POLICY, rand=lambda: 1.0) == NOW + timedelta(minutes=10)
