"""FetchLimits defaults and validation; ConcurrencyGate forgets idle hosts."""

from __future__ import annotations

import asyncio

import pytest

from monitor.fetching import FetchLimits
from monitor.fetching.limits import ConcurrencyGate


def test_defaults() -> None:
    limits = FetchLimits()
    assert limits.user_agent == "newsmon/0.1 (+https://example.invalid/newsmon)"
    assert (limits.timeout_s, limits.connect_timeout_s) == (20.0, 10.0)
    assert (limits.max_body_bytes, limits.max_redirects) == (10_000_000, 5)
    assert (limits.per_host_concurrency, limits.total_concurrency) == (2, 20)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout_s": 0}, "timeout_s must be positive"),
        ({"max_body_bytes": -1}, "max_body_bytes must be positive"),
        ({"per_host_concurrency": 0}, "per_host_concurrency must be positive"),
        ({"per_host_concurrency": 4, "total_concurrency": 3}, "total_concurrency must be at least"),
        ({"max_redirects": -1}, "max_redirects must not be negative"),
    ],
)
def test_invalid_limits_are_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchLimits(**options)  # type: ignore[arg-type]


async def peak_concurrency(gate: ConcurrencyGate, hosts: list[str]) -> dict[str, int]:
    """Run one short request per entry of ``hosts`` through ``gate``; the peak running, per host and total."""
    running: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def request(host: str) -> None:
        async with gate.slot(host):
            for key in (host, "*"):
                running[key] = running.get(key, 0) + 1
                peak[key] = max(peak.get(key, 0), running[key])
            await asyncio.sleep(0.01)
            for key in (host, "*"):
                running[key] -= 1

    await asyncio.gather(*(request(host) for host in hosts))
    return peak


async def test_gate_limits_each_host_and_the_total() -> None:
    gate = ConcurrencyGate(per_host=2, total=3)

    peak = await peak_concurrency(gate, ["a.example"] * 6 + ["b.example"] * 6 + ["c.example"] * 6)

    total = peak.pop("*")
    assert total == 3
    assert max(peak.values()) == 2  # which hosts reach 2 depends on the order slots free up


async def test_a_busy_host_does_not_starve_the_others() -> None:
    # 20 requests queue for a.example first; b.example still gets a slot at once because a request
    # waiting for its host holds no total slot
    gate = ConcurrencyGate(per_host=1, total=2)

    peak = await peak_concurrency(gate, ["a.example"] * 20 + ["b.example"])

    assert peak == {"a.example": 1, "b.example": 1, "*": 2}


async def test_gate_forgets_a_host_when_its_last_request_ends() -> None:
    gate = ConcurrencyGate(per_host=1, total=2)
    release = asyncio.Event()

    async def hold(host: str) -> None:
        async with gate.slot(host):
            await release.wait()

    tasks = [asyncio.create_task(hold(host)) for host in ("a.example", "A.example")]
    await asyncio.sleep(0)
    assert gate.tracked_hosts == 1  # host names are case-insensitive: one slot, one waiter
    release.set()
    await asyncio.gather(*tasks)
    assert gate.tracked_hosts == 0
