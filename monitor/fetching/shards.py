"""``ShardedTransport``: one connection pool split into a few small ones, so its bookkeeping stays cheap.

Why: httpcore 1.0.9's ``AsyncConnectionPool`` re-examines every pooled connection whenever a request
starts or ends (``_assign_requests_to_connections``): ``has_expired()`` on each (two syscalls for an idle
one, getpeername and poll) and, for each idle one, a list over *all* connections, so each request costs
time quadratic in the pool size. For a poll of 200 feeds on one host through 20 connections that was
~0.25 s of CPU (~2.7 s of 9.8 s under cProfile, issue 10). Pools of at most ``SHARD_CONNECTIONS``
connections, as many as it takes to hold the same total, make that cost small (~0.05 s) and independent
of ``total_concurrency``.

What stays as with one pool: each shard's own limit keeps the total number of connections within the sum
of the shard sizes (``total_concurrency``); a request goes to a shard with room (the one with the most, and
among those preferably one where a response from the same origin just ended, whose keep-alive connection
is likely idle there), so as long as ``ConcurrencyGate`` admits no more requests than the total, none
waits behind a full shard while another has room, and connections keep being reused.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence

import httpx

SHARD_CONNECTIONS = 4  # the most connections one httpcore pool holds: its scan costs at most 4 x 4

_Origin = tuple[str, str, int | None]


def shard_sizes(total: int) -> list[int]:
    """``total`` connections as the fewest pools of at most ``SHARD_CONNECTIONS``, sizes within one."""
    count = -(-total // SHARD_CONNECTIONS)
    size, larger = divmod(total, count)
    return [size + 1] * larger + [size] * (count - larger)


def sharded(
    total: int, transport_for: Callable[[httpx.Limits], httpx.AsyncBaseTransport]
) -> ShardedTransport:
    """A ``ShardedTransport`` of ``total`` connections; ``transport_for`` builds one shard for its limits."""
    shards = []
    for size in shard_sizes(total):
        pool = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        shards.append(_Shard(transport_for(pool), size))
    return ShardedTransport(shards)


class _Shard:
    """One small pool, how many requests it serves now, and where its idle connections probably lead."""

    def __init__(self, transport: httpx.AsyncBaseTransport, capacity: int) -> None:
        self.transport = transport
        self.capacity = capacity
        self.busy = 0
        # the origins of the responses that ended here last: a hint, never wrong in a way that matters
        # (an expired or evicted connection only costs the new one a single pool would have opened too)
        self.released: deque[_Origin] = deque(maxlen=capacity)

    def preference(self, origin: _Origin) -> tuple[bool, int]:
        free = self.capacity - self.busy
        return (free > 0 and origin in self.released, free)

    def take(self, origin: _Origin) -> None:
        self.busy += 1
        with contextlib.suppress(ValueError):
            self.released.remove(origin)

    def give_back(self, origin: _Origin) -> None:
        self.busy -= 1
        self.released.append(origin)


class ShardedTransport(httpx.AsyncBaseTransport):
    """Sends each request through the least busy of several small pools (see the module docstring).

    A shard counts as busy from the request until its response is closed, as the pool itself does.
    """

    def __init__(self, shards: Sequence[_Shard]) -> None:
        self._shards = tuple(shards)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        shard = max(self._shards, key=lambda candidate: candidate.preference(origin))
        shard.take(origin)
        try:
            response = await shard.transport.handle_async_request(request)
        except BaseException:
            shard.busy -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_ReleasingStream(response.stream, lambda: shard.give_back(origin)),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        async with contextlib.AsyncExitStack() as stack:  # every shard closed even if one fails
            for shard in self._shards:
                stack.push_async_callback(shard.transport.aclose)


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that tells its shard, once, when the response is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, on_close: Callable[[], None]) -> None:
        self._stream = stream
        self._on_close: Callable[[], None] | None = on_close

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        on_close, self._on_close = self._on_close, None
        try:
            await self._stream.aclose()
        finally:
            if on_close is not None:
                on_close()
