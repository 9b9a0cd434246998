"""``Fetcher``: one conditional GET per feed over shared keep-alive connection pools.

One ``Fetcher`` lives as long as the daemon's poll loop (``async with Fetcher(limits) as fetcher``), so
connections to a publisher hosting many of our feeds are reused; each pool is split into a few small
httpcore pools (``shards``), whose bookkeeping would otherwise cost time quadratic in the pool size.
Each ``fetch`` walks the redirect chain by hand (see ``redirects``), streams the body under a size cap,
and turns every outcome into either a ``FetchResult`` or a ``FetchError``: callers never see httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

import httpx

from monitor.domain import Fetchable, FetchResult, FetchTarget
from monitor.errors import FeedGoneError, FetchError
from monitor.fetching.addresses import AddressRefused
from monitor.fetching.guard import GuardedTransport
from monitor.fetching.limits import ConcurrencyGate, FetchLimits
from monitor.fetching.local import fetch_file
from monitor.fetching.redirects import REDIRECT_STATUSES, WEB_SCHEMES, RedirectChain, url_problem
from monitor.fetching.retry_after import parse_retry_after
from monitor.fetching.shards import sharded
from monitor.fetching.translate import timeout_reason, translate

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
# article pages for full-text extraction (see ``Fetcher.fetch_page``)
PAGE_ACCEPT = b"text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# Only what httpx decodes without optional packages: a "br" body we could not read would be wasted bytes.
ACCEPT_ENCODING = "gzip, deflate"
DRAIN_LIMIT_BYTES = 64 * 1024  # a body this small is read and dropped to keep the connection alive
_RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class _Hop:
    """One response of a redirect chain, closed: status, headers, and the body when it was a 2xx."""

    status: int
    headers: httpx.Headers
    body: bytes | None


class Fetcher:
    """Fetches feeds politely: conditional GET, manual redirects, timeouts, a size cap, concurrency limits.

    Example::

        async with Fetcher(FetchLimits(timeout_s=10)) as fetcher:
            result = await fetcher.fetch(feed, now=datetime.now(UTC))

    ``fetch`` raises ``FeedGoneError`` on HTTP 410 and ``FetchError`` for every other failure;
    ``fetch_page`` (an article page, for full text) raises ``FetchError`` only.

    Two connection pools of ``total_concurrency`` connections each (each sharded, see ``shards``): the
    operator's own feed URLs (and redirects that keep to their origin) are requested as configured,
    loopback included; article pages and redirects to another origin go through the guarded pool, which
    refuses non-public addresses outside ``limits.allow_private`` (``guard``).
    """

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._client: httpx.AsyncClient | None = None
        self._guarded: httpx.AsyncClient | None = None
        self._gate: ConcurrencyGate | None = None

    async def __aenter__(self) -> Fetcher:
        limits = self.limits
        policy = limits.address_policy
        tls = httpx.create_ssl_context(trust_env=False)
        self._client = _new_client(
            limits, sharded(limits.total_concurrency, lambda pool: _transport(pool, tls))
        )
        self._guarded = _new_client(
            limits, sharded(limits.total_concurrency, lambda pool: GuardedTransport(policy, pool, tls))
        )
        self._gate = ConcurrencyGate(limits.per_host_concurrency, limits.total_concurrency)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for client in (self._client, self._guarded):
            if client is not None:
                await client.aclose()
        self._client = self._guarded = None
        self._gate = None

    async def fetch(self, feed: Fetchable, now: datetime) -> FetchResult:
        """Fetch ``feed.url`` (http, https or file) conditionally on the feed's stored validators."""
        scheme = feed.url.partition(":")[0].lower() if ":" in feed.url else ""
        if scheme == "file":
            return await fetch_file(feed, now, self.limits.max_body_bytes)
        if scheme not in WEB_SCHEMES:
            raise FetchError(feed.url, "not an http(s):// or file:// URL")
        return await self._get(feed, now, _conditional_headers(feed), trusted=True)

    async def fetch_page(self, url: str, now: datetime) -> FetchResult:
        """Fetch an article page (HTML) unconditionally, under the same limits and gates as feeds.

        Only http(s), and only to public addresses or ``allow_private`` ones: the link comes from a
        publisher's feed, which must never be able to make us read ``file:///etc/passwd`` or an internal
        service. Raises ``FetchError`` for every failure, a 410 included (a gone page says nothing about
        its feed, so it is never a ``FeedGoneError``).
        """
        if url.partition(":")[0].lower() not in WEB_SCHEMES:
            raise FetchError(url, "not an http(s):// URL")
        page = FetchTarget(url)
        try:
            return await self._get(page, now, {b"Accept": PAGE_ACCEPT}, trusted=False)
        except FeedGoneError as exc:
            raise FetchError(url, exc.reason, status=exc.status) from exc

    async def _get(
        self, feed: Fetchable, now: datetime, headers: dict[bytes, bytes], *, trusted: bool
    ) -> FetchResult:
        gate = self._open()
        try:
            start = httpx.URL(feed.url)
        except httpx.InvalidURL as exc:
            raise translate(exc, feed.url, self.limits) from exc
        problem = url_problem(start)
        if problem:
            raise FetchError(feed.url, f"invalid URL: {problem}")
        chain = RedirectChain(feed.url, start, self.limits.max_redirects, trusted=trusted)
        final, elapsed_s = await self._walk(gate, feed, chain, headers, now)
        return _result(feed, chain, final, now, elapsed_s)

    def _open(self) -> ConcurrencyGate:
        if self._gate is None:
            raise RuntimeError("Fetcher is not open: use 'async with Fetcher(limits) as fetcher'")
        return self._gate

    def _client_for(self, chain: RedirectChain) -> httpx.AsyncClient:
        client = self._guarded if chain.guarded else self._client
        assert client is not None  # set together with the gate
        return client

    async def _walk(
        self,
        gate: ConcurrencyGate,
        feed: Fetchable,
        chain: RedirectChain,
        request_headers: dict[bytes, bytes],
        now: datetime,
    ) -> tuple[_Hop, float]:
        """Request and follow redirects: (the final 2xx/304 response, seconds spent on the wire).

        The overall deadline is a budget consumed only while a request holds its concurrency slot, so
        time queued behind our own limits never makes a healthy feed look slow.
        """
        spent_s = 0.0
        while True:
            async with gate.slot(chain.current.host):
                hop_started = time.monotonic()
                try:
                    async with asyncio.timeout(self.limits.timeout_s - spent_s):
                        client = self._client_for(chain)
                        final = await self._request(client, feed, chain.current, request_headers, now)
                except TimeoutError as exc:
                    raise FetchError(feed.url, timeout_reason(self.limits.timeout_s)) from exc
                finally:
                    spent_s += time.monotonic() - hop_started
            if final.status not in REDIRECT_STATUSES:
                return final, spent_s
            chain.follow(final.status, final.headers.get("location"))

    async def _request(
        self,
        client: httpx.AsyncClient,
        feed: Fetchable,
        url: httpx.URL,
        headers: dict[bytes, bytes],
        now: datetime,
    ) -> _Hop:
        """One GET; raises for error statuses, reads the body only for a 2xx."""
        try:
            request = client.build_request("GET", url, headers=headers)
        except httpx.InvalidURL as exc:
            raise translate(exc, feed.url, self.limits) from exc
        try:
            response = await _send(client, request)
            try:
                _raise_for_status(feed.url, url, response, now)
                body = await self._read_body(feed.url, response) if response.is_success else None
            finally:
                await _drain(response)
                await response.aclose()
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise translate(exc, feed.url, self.limits) from exc
        except AddressRefused as exc:
            raise _refused(feed.url, url, exc) from exc
        except _BadLocation as exc:
            raise FetchError(feed.url, f"redirect to a URL that cannot be followed ({exc})") from exc
        return _Hop(response.status_code, response.headers, body)

    async def _read_body(self, feed_url: str, response: httpx.Response) -> bytes:
        """Stream the decoded body, refusing it as soon as it passes the cap.

        Counting decoded bytes caps a gzip bomb too; one network chunk may still expand to at most the
        codec's ratio (~1000x of 64 KiB) before the check, which is the price of letting httpx decode.
        """
        cap = self.limits.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > cap:
            raise _too_large(feed_url, cap, response.status_code)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise _too_large(feed_url, cap, response.status_code)
            chunks.append(chunk)
        return b"".join(chunks)


async def _send(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """``client.send`` without following redirects; a Location httpx cannot even parse is named as such.

    httpx works out the next request of every redirect response, even when not following it, and raises
    ``InvalidURL`` for a Location such as ``javascript:alert(1)`` (the request's own URL was valid).
    """
    try:
        return await client.send(request, stream=True)
    except httpx.InvalidURL as exc:
        raise _BadLocation(str(exc)) from exc


class _BadLocation(Exception):
    """A redirect whose Location cannot be turned into a URL."""


def _new_client(limits: FetchLimits, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        http1=True,
        http2=False,
        follow_redirects=False,
        # settings is the only reader of the environment: no proxy or netrc picked up behind its back
        trust_env=False,
        timeout=httpx.Timeout(limits.timeout_s, connect=limits.connect_timeout_s),
        transport=transport,
        headers={"User-Agent": limits.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
    )


def _transport(pool: httpx.Limits, tls: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    """One shard of the trusted pool: httpx's own transport, as ``AsyncClient`` would build it."""
    return httpx.AsyncHTTPTransport(verify=tls, http1=True, http2=False, trust_env=False, limits=pool)


def _refused(feed_url: str, url: httpx.URL, refused: AddressRefused) -> FetchError:
    where = "" if str(url) == feed_url else f" for {url}"
    return FetchError(
        feed_url,
        f"refused to connect to {refused.address} ({refused.kind} address of {refused.host}){where}: "
        "links and redirects from a feed may only reach public addresses; "
        "list trusted intranet hosts or networks in http.allow_private",
    )


async def _drain(response: httpx.Response) -> None:
    """Read what is left of a small body so the connection goes back to the pool.

    httpx closes a connection whose response was not read to the end; a 304 or a redirect has no body
    (or a tiny one) and is exactly what a warm poll gets 200 times, so without this every conditional GET
    opened a new TCP connection. A 2xx body left unread was refused (over the size cap, or the read
    failed): reading it now would defeat the refusal, so that connection is closed instead.
    """
    if response.is_stream_consumed or response.is_success:
        return
    declared = response.headers.get("content-length", "").strip()
    if response.status_code in (204, 304) or (declared.isdigit() and int(declared) <= DRAIN_LIMIT_BYTES):
        with contextlib.suppress(httpx.HTTPError):
            await response.aread()


async def fetch_once(url: str, limits: FetchLimits, now: datetime) -> FetchResult:
    """Fetch one URL unconditionally with a throw-away ``Fetcher``: for dry runs (``newsmon match URL``)."""
    async with Fetcher(limits) as fetcher:
        return await fetcher.fetch(FetchTarget(url), now)


def _conditional_headers(feed: Fetchable) -> dict[bytes, bytes]:
    """If-None-Match / If-Modified-Since from the stored validators, sent as the server gave them."""
    headers: dict[bytes, bytes] = {}
    for name, value in ((b"If-None-Match", feed.etag), (b"If-Modified-Since", feed.last_modified)):
        encoded = _header_bytes(value)
        if encoded is not None:
            headers[name] = encoded
    return headers


def _header_bytes(value: str | None) -> bytes | None:
    # httpx would encode a str header as ASCII; validators echoed from a server may be Latin-1, and a
    # stored value with a line break must never be able to inject a header.
    if not value or "\r" in value or "\n" in value:
        return None
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return None


def _raise_for_status(feed_url: str, url: httpx.URL, response: httpx.Response, now: datetime) -> None:
    status = response.status_code
    if response.is_success or status == 304 or status in REDIRECT_STATUSES:
        return
    where = "" if str(url) == feed_url else f" at {url}"
    reason = f"HTTP {status} {response.reason_phrase}".rstrip() + where
    if status == 410:
        raise FeedGoneError(feed_url, reason, status=status)
    retry_after_s = None
    if status in _RETRY_STATUSES:
        retry_after_s = parse_retry_after(response.headers.get("retry-after"), now)
    raise FetchError(feed_url, reason, status=status, retry_after_s=retry_after_s)


def _too_large(feed_url: str, cap: int, status: int) -> FetchError:
    return FetchError(feed_url, f"body larger than {cap} bytes", status=status)


def _result(
    feed: Fetchable, chain: RedirectChain, final: _Hop, now: datetime, elapsed_s: float
) -> FetchResult:
    not_modified = final.status == 304
    etag = final.headers.get("etag")
    last_modified = final.headers.get("last-modified")
    return FetchResult(
        url=feed.url,
        final_url=str(chain.current),
        status=final.status,
        fetched_at=now,
        body=None if not_modified else (final.body or b""),
        not_modified=not_modified,
        # a 304 may omit the validators; the ones we sent are still the right ones to send next time
        etag=etag or (feed.etag if not_modified else None),
        last_modified=last_modified or (feed.last_modified if not_modified else None),
        content_type=final.headers.get("content-type"),
        permanent_redirect=chain.permanent_redirect(),
        elapsed_s=elapsed_s,
    )
