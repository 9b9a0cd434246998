"""The SSRF guard: which addresses feed content may steer us to, checked after DNS, on the real socket path.

Unit cases pin the address classification, the allow-list and when a redirect chain stops being the
operator's choice; the server cases run real requests against FeedServers on 127.0.0.1 (loopback, so
refused unless allow-listed) and assert that a refused request never reached the server at all.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from datetime import datetime

import httpcore
import httpx
import pytest

from monitor.domain import FeedSource
from monitor.errors import FetchError
from monitor.fetching import Fetcher, FetchLimits
from monitor.fetching.addresses import AddressPolicy, AddressRefused, non_public_kind
from monitor.fetching.guard import GuardedBackend
from monitor.fetching.redirects import RedirectChain
from tests.support.feed_server import FeedServer

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
PAGE = b"<!DOCTYPE html><html><body><p>internal admin</p></body></html>"
QUICK = {"timeout_s": 3.0, "connect_timeout_s": 1.0}
REFUSED = "links and redirects from a feed may only reach public addresses"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata service
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_addresses_are_classified(address: str, kind: str | None) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == kind


def test_the_allow_list_takes_networks_and_exact_host_names() -> None:
    policy = AddressPolicy.from_entries(["10.0.0.0/8", "127.0.0.1", "Wiki.Intranet.Example."])
    loopback, other_loopback = ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("127.0.0.2")

    assert policy.refusal("x.example", ipaddress.ip_address("10.9.8.7")) is None
    assert policy.refusal("x.example", ipaddress.ip_address("::ffff:10.9.8.7")) is None
    assert policy.refusal("x.example", loopback) is None
    assert policy.refusal("x.example", other_loopback) == "loopback"
    assert policy.refusal("wiki.intranet.example", ipaddress.ip_address("192.168.0.5")) is None
    assert policy.refusal("intranet.example", ipaddress.ip_address("192.168.0.5")) == "private"
    assert AddressPolicy().refusal("x.example", loopback) == "loopback"


@pytest.mark.parametrize("entry", ["http://10.0.0.1/", "10.0.0.0/33", "host:8080", "", "1.2.3"])
def test_a_bad_allow_list_entry_is_refused_with_what_was_expected(entry: str) -> None:
    with pytest.raises(ValueError, match=r"neither a network .* nor a host name"):
        FetchLimits(allow_private=(entry,))


def test_a_redirect_chain_is_trusted_only_while_it_keeps_to_the_configured_origin() -> None:
    chain = RedirectChain("http://a.example/feed", httpx.URL("http://a.example/feed"), 5, trusted=True)
    assert not chain.guarded
    chain.follow(301, "/feed.xml")
    assert not chain.guarded  # same scheme, host and port
    chain.follow(302, "http://a.example:8080/feed.xml")
    assert chain.guarded  # another port is another origin
    chain.follow(302, "http://a.example/back.xml")
    assert chain.guarded  # once left, never trusted again: the path back was the remote server's choice

    page = RedirectChain("http://a.example/p", httpx.URL("http://a.example/p"), 5)
    assert page.guarded


async def test_the_backend_resolves_checks_every_address_and_connects_to_a_checked_one() -> None:
    backend = GuardedBackend(AddressPolicy.from_entries(["127.0.0.1"]))
    assert await backend.checked_addresses("localhost", 80) == ["127.0.0.1"]
    assert await backend.checked_addresses("127.0.0.1", 80) == ["127.0.0.1"]

    with pytest.raises(AddressRefused) as refused:
        await GuardedBackend(AddressPolicy()).checked_addresses("localhost", 80)
    assert (refused.value.address, refused.value.kind) == ("127.0.0.1", "loopback")
    with pytest.raises(httpcore.ConnectError, match="host name not found"):
        await backend.checked_addresses("no-such-host.invalid", 80)


@pytest.fixture
def other_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def feed(url: str) -> FeedSource:
    return FeedSource(url=url, name="t", interval_s=300)


async def fetch_error(limits: FetchLimits, url: str, now: datetime, *, page: bool) -> FetchError:
    async with Fetcher(limits) as fetcher:
        with pytest.raises(FetchError) as caught:
            await (fetcher.fetch_page(url, now) if page else fetcher.fetch(feed(url), now))
    return caught.value


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_an_article_page_on_loopback_is_refused_without_a_request(
    feed_server: FeedServer, now: datetime, host: str
) -> None:
    feed_server.route("/internal-admin", body=PAGE, content_type="text/html")
    url = feed_server.url("/internal-admin").replace("127.0.0.1", host)

    error = await fetch_error(FetchLimits(**QUICK), url, now, page=True)

    assert error.url == url
    assert error.reason.startswith(f"refused to connect to 127.0.0.1 (loopback address of {host}): {REFUSED}")
    assert "http.allow_private" in error.reason
    assert feed_server.requests == ()  # refused before connecting


async def test_a_configured_loopback_feed_is_fetched_and_its_connection_never_serves_a_page(
    feed_server: FeedServer, now: datetime
) -> None:
    url = feed_server.route("/feed.xml", body=FEED)
    feed_server.route("/internal-admin", body=PAGE, content_type="text/html")
    feed_server.redirect("/old.xml", "/feed.xml", status=301)  # same origin: still the operator's URL

    async with Fetcher(FetchLimits(**QUICK)) as fetcher:
        result = await fetcher.fetch(feed(feed_server.url("/old.xml")), now)
        with pytest.raises(FetchError, match=REFUSED):  # the kept-alive connection is not reused for it
            await fetcher.fetch_page(feed_server.url("/internal-admin"), now)

    assert (result.final_url, result.body) == (url, FEED)
    assert [request.path for request in feed_server.requests] == ["/old.xml", "/feed.xml"]


async def test_a_feed_redirect_to_another_local_port_is_refused_unless_allow_listed(
    feed_server: FeedServer, other_server: FeedServer, now: datetime
) -> None:
    other_server.route("/internal", body=FEED)
    start = feed_server.redirect("/feed.xml", other_server.url("/internal"), status=302)

    error = await fetch_error(FetchLimits(**QUICK), start, now, page=False)

    assert error.reason.startswith("refused to connect to 127.0.0.1 (loopback address of 127.0.0.1) for ")
    assert other_server.requests == ()
    async with Fetcher(FetchLimits(**QUICK, allow_private=("127.0.0.0/8",))) as fetcher:
        assert (await fetcher.fetch(feed(start), now)).body == FEED


async def test_a_redirect_back_to_the_feeds_own_origin_stays_guarded(
    feed_server: FeedServer, other_server: FeedServer, now: datetime
) -> None:
    feed_server.route("/admin", body=FEED)
    admin = feed_server.url("/admin")  # on 127.0.0.1, the configured feed's own origin
    bounce = other_server.redirect("/bounce", admin, status=302).replace("127.0.0.1", "localhost")
    start = feed_server.redirect("/feed.xml", bounce, status=302)
    limits = FetchLimits(**QUICK, allow_private=("localhost",))  # the remote hop is allowed by name

    error = await fetch_error(limits, start, now, page=False)

    assert error.reason.startswith(
        f"refused to connect to 127.0.0.1 (loopback address of 127.0.0.1) for {admin}"
    )
    assert [request.path for request in other_server.requests] == ["/bounce"]
    assert feed_server.requests_to("/admin") == ()
