"""How much a fetch may cost, and the gates that keep many fetches polite.

``FetchLimits`` is the one knob set for the HTTP side (settings builds it from config). ``ConcurrencyGate``
bounds work twice: per host, so a publisher hosting hundreds of our feeds is never hit by more than
``per_host_concurrency`` requests at once, and in total, so one daemon never opens more sockets than
its connection pool holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from monitor.fetching.addresses import AddressPolicy

DEFAULT_USER_AGENT = "newsmon/0.1 (+https://example.invalid/newsmon)"


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts, size cap, redirect budget, concurrency and the private-address allow-list for fetching.

    ``timeout_s`` is both the per-read timeout and the overall deadline of one fetch (all redirect hops
    included, time queued behind our own concurrency limits excluded), so a server that drips one byte
    a second cannot hold a worker forever.
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout_s: float = 20.0
    connect_timeout_s: float = 10.0
    max_body_bytes: int = 10_000_000
    max_redirects: int = 5
    per_host_concurrency: int = 2
    total_concurrency: int = 20
    # networks (CIDR) and host names that item links and foreign redirects may reach although not public
    allow_private: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("timeout_s", "connect_timeout_s", "max_body_bytes", "per_host_concurrency"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchLimits.{name} must be positive, got {getattr(self, name)!r}")
        if self.total_concurrency < self.per_host_concurrency:
            raise ValueError("FetchLimits.total_concurrency must be at least per_host_concurrency")
        if self.max_redirects < 0:
            raise ValueError("FetchLimits.max_redirects must not be negative")
        AddressPolicy.from_entries(self.allow_private)  # ValueError naming a bad entry

    @property
    def address_policy(self) -> AddressPolicy:
        return AddressPolicy.from_entries(self.allow_private)


class _HostSlot:
    """A host's semaphore plus how many fetches use or wait for it, so idle hosts can be forgotten."""

    def __init__(self, size: int) -> None:
        self.semaphore = asyncio.Semaphore(size)
        self.users = 0


class ConcurrencyGate:
    """Per-host and total concurrency limits for one event loop: ``async with gate.slot(host):``.

    A slot is taken per request (per redirect hop), host first and then the total: a fetch waiting for a
    busy host holds no total slot, so 500 feeds on one slow publisher cannot starve every other host.
    A fetch holds at most one slot at a time, so fetches cannot deadlock. Host entries are dropped when
    nobody uses them, so polling millions of distinct hosts does not grow memory.
    """

    def __init__(self, per_host: int, total: int) -> None:
        self._per_host = per_host
        self._total = asyncio.Semaphore(total)
        self._hosts: dict[str, _HostSlot] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        key = host.lower()
        entry = self._hosts.get(key)
        if entry is None:
            entry = self._hosts[key] = _HostSlot(self._per_host)
        entry.users += 1
        try:
            async with entry.semaphore, self._total:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._hosts[key]

    @property
    def tracked_hosts(self) -> int:
        """How many hosts currently have a request running or waiting (for tests and metrics)."""
        return len(self._hosts)
