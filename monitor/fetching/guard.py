"""A connection pool that connects only to addresses ``AddressPolicy`` allows: the SSRF guard on the wire.

The check lives where the socket is opened, in an httpcore network backend: the host name is resolved
once, *every* address it resolves to is checked (a name that answers with one public and one private
address is refused as a whole), and the connection is made to a checked address, never to the name again,
so DNS rebinding between check and connect is impossible. TLS still verifies the certificate against the
URL's host name (httpcore passes it as the server name, whatever address we connect to).

Guarded requests get a pool of their own: a connection opened without the check (to a feed URL the operator
configured, say ``http://127.0.0.1:8080/feed.xml``) is never reused for a request the check would refuse
(an item link to ``http://127.0.0.1:8080/admin``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable

import httpcore
import httpx

from monitor.fetching.addresses import AddressPolicy, AddressRefused

_SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, and connects to the first checked one that answers."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.checked_addresses(host, port)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:  # like a browser: try the name's next address
                failure = exc
        assert failure is not None  # checked_addresses never returns an empty list
        raise failure

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` in resolver order, after checking all of them; AddressRefused if any fails."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host.strip("[]"), port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"host name not found: {host}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise httpcore.ConnectError(f"host name not found: {host}")
        for address in addresses:
            # a scoped IPv6 address ("fe80::1%eth0") is link-local anyway; drop the zone to parse it
            kind = self._policy.refusal(host, ipaddress.ip_address(address.partition("%")[0]))
            if kind is not None:
                raise AddressRefused(host, address, kind)
        return addresses

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("Unix sockets are not used for guarded requests")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over a connection pool whose every connection went through ``GuardedBackend``.

    httpx takes no network backend, so the pool it builds is replaced by an identical one that has ours;
    ``tests/fetching/test_fetch_guard.py`` fails if an httpx upgrade stops using it. ``ssl_context`` is
    shared by every pool of a ``Fetcher`` (building one reads the CA bundle: ~25 ms each).
    """

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, http1=True, http2=False, trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(policy),
        )
