"""The sharded connection pool: small httpcore pools, the same total, connections reused (issue 10).

httpcore re-examines a whole pool on every request start and end, at a cost quadratic in its size, so
``Fetcher`` splits each pool into shards of at most ``SHARD_CONNECTIONS``. The unit cases pin how
``ShardedTransport`` picks a shard (over ``httpx.MockTransport`` shards); the server case checks on the
wire that the total stays within ``total_concurrency``, that every shard works at once, that a second
round reuses every connection, and that no httpcore pool ever grows past ``SHARD_CONNECTIONS``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import httpcore
import httpx
import pytest

from monitor.domain import FeedSource
from monitor.fetching import Fetcher, FetchLimits
from monitor.fetching.shards import SHARD_CONNECTIONS, ShardedTransport, shard_sizes, sharded
from tests.support.feed_server import FeedServer

ETAG = '"v1"'


@pytest.mark.parametrize(
    ("total", "sizes"),
    [
        (1, [1]),
        (2, [2]),
        (4, [4]),
        (5, [3, 2]),
        (10, [4, 3, 3]),
        (20, [4, 4, 4, 4, 4]),
        (21, [4, 4, 4, 3, 3, 3]),
    ],
)
def test_the_total_is_split_into_the_fewest_even_shards(total: int, sizes: list[int]) -> None:
    assert shard_sizes(total) == sizes


class Shards:
    """Builds ``MockTransport`` shards that log (shard, host) per request and note when they are closed."""

    def __init__(self) -> None:
        self.limits: list[httpx.Limits] = []
        self.log: list[tuple[int, str]] = []
        self.closed: list[int] = []
        self.failing: set[int] = set()

    def transport(self, total: int) -> ShardedTransport:
        return sharded(total, self._shard)

    def _shard(self, pool: httpx.Limits) -> httpx.AsyncBaseTransport:
        index = len(self.limits)
        self.limits.append(pool)
        shards = self

        def answer(request: httpx.Request) -> httpx.Response:
            if index in shards.failing:
                raise httpx.ConnectError("refused", request=request)
            shards.log.append((index, request.url.host))
            return httpx.Response(304)

        class Shard(httpx.MockTransport):
            async def aclose(self) -> None:
                shards.closed.append(index)

        return Shard(answer)


async def send(transport: ShardedTransport, hosts: str) -> list[httpx.Response]:
    """One request per letter of ``hosts`` (to ``http://<letter>.example/``), responses left open."""
    return [
        await transport.handle_async_request(httpx.Request("GET", f"http://{host}.example/feed.xml"))
        for host in hosts
    ]


async def close(responses: list[httpx.Response]) -> None:
    for response in responses:
        await response.aclose()


async def test_shards_hold_the_total_and_open_requests_fill_them_evenly() -> None:
    shards = Shards()
    transport = shards.transport(10)

    await send(transport, "a" * 10)

    assert [(pool.max_connections, pool.max_keepalive_connections) for pool in shards.limits] == [
        (4, 4),
        (3, 3),
        (3, 3),
    ]
    per_shard = [sum(1 for index, _ in shards.log if index == shard) for shard in range(3)]
    assert per_shard == [4, 3, 3]  # a shard is busy until its response is closed: never over its size


async def test_a_closed_response_frees_its_shard() -> None:
    shards = Shards()
    transport = shards.transport(8)
    first = await send(transport, "a")
    await close(first)

    await send(transport, "a")  # shard 0 is free again: it keeps serving, as one pool would

    assert shards.log == [(0, "a.example"), (0, "a.example")]


async def test_a_request_goes_where_its_origin_was_served_last() -> None:
    # round 1 leaves shard 0 with the connections to a.example and shard 1 with those to b.example;
    # round 2 asks in another order and still finds each origin's idle connections
    shards = Shards()
    transport = shards.transport(8)
    await close(await send(transport, "abababab"))
    assert {host: {i for i, h in shards.log if h == host} for host in ("a.example", "b.example")} == {
        "a.example": {0},
        "b.example": {1},
    }
    shards.log.clear()

    await send(transport, "bbaabbaa")

    assert (
        shards.log
        == [(1, "b.example")] * 2 + [(0, "a.example")] * 2 + [(1, "b.example")] * 2 + [(0, "a.example")] * 2
    )


async def test_a_full_shard_is_passed_over_even_for_its_origin() -> None:
    shards = Shards()
    transport = shards.transport(8)
    await close(await send(transport, "a"))  # shard 0 remembers a.example
    await send(transport, "bbbbbbb")  # shard 0 full (4), shard 1 has room (3)

    await send(transport, "a")

    assert shards.log[-1] == (1, "a.example")  # never queued behind a full shard while another has room


async def test_a_failed_request_frees_its_shard() -> None:
    shards = Shards()
    transport = shards.transport(8)
    shards.failing = {0}
    with pytest.raises(httpx.ConnectError):
        await send(transport, "a")
    shards.failing = set()

    await send(transport, "a")

    assert shards.log == [(0, "a.example")]


async def test_closing_the_transport_closes_every_shard() -> None:
    shards = Shards()
    transport = shards.transport(20)

    await transport.aclose()

    assert sorted(shards.closed) == [0, 1, 2, 3, 4]


# -- against a real server -------------------------------------------------------------------------


@dataclass
class PoolSpy:
    """Every httpcore pool that opened a connection, and the pool's size after each connection it opened."""

    pools: list[httpcore.AsyncConnectionPool] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)


@pytest.fixture
def pool_spy(monkeypatch: pytest.MonkeyPatch) -> PoolSpy:
    spy = PoolSpy()
    create = httpcore.AsyncConnectionPool.create_connection

    def create_connection(
        pool: httpcore.AsyncConnectionPool, origin: httpcore.Origin
    ) -> httpcore.AsyncConnectionInterface:
        if pool not in spy.pools:
            spy.pools.append(pool)
        spy.sizes.append(len(pool.connections) + 1)
        return create(pool, origin)

    monkeypatch.setattr(httpcore.AsyncConnectionPool, "create_connection", create_connection)
    return spy


async def test_many_concurrent_fetches_share_small_pools_within_the_total_and_reuse_them(
    feed_server: FeedServer, now: datetime, pool_spy: PoolSpy
) -> None:
    total = 20
    limits = FetchLimits(
        timeout_s=10.0, connect_timeout_s=5.0, per_host_concurrency=total, total_concurrency=total
    )
    # the delay keeps the first wave of the second round in flight together; the first round only
    # opens the connections (how fast the test server accepts 20 at once is not the point)
    url = feed_server.route("/feed.xml", body=b"<rss/>", etag=ETAG, delay_s=0.3)
    feed = FeedSource(url=url, name="feed", interval_s=600, etag=ETAG)

    async with Fetcher(limits) as fetcher:
        first = await asyncio.gather(*(fetcher.fetch(feed, now) for _ in range(total)))
        opened = feed_server.connections_opened
        feed_server.reset()
        second = await asyncio.gather(*(fetcher.fetch(feed, now) for _ in range(2 * total)))

    assert all(result.not_modified for result in first + second)
    assert opened == total
    assert feed_server.connections_opened == total  # the second round reused every connection...
    assert feed_server.max_in_flight == total  # ...all at once: none queued behind a full shard
    assert len(pool_spy.pools) == total // SHARD_CONNECTIONS
    assert max(pool_spy.sizes) == SHARD_CONNECTIONS  # httpcore's per-request scan never covers more
    assert all(pool.connections == [] for pool in pool_spy.pools)  # every shard closed with the Fetcher
