"""RedirectChain in isolation: how a Location is resolved, and which hops are refused."""

from __future__ import annotations

import httpx
import pytest

from monitor.errors import FetchError
from monitor.fetching.redirects import RedirectChain

FEED = "https://news.example/feeds/world.xml"


def chain(max_redirects: int = 5) -> RedirectChain:
    return RedirectChain(FEED, httpx.URL(FEED), max_redirects)


@pytest.mark.parametrize(
    ("location", "target"),
    [
        ("/rss/world", "https://news.example/rss/world"),
        ("asia.xml", "https://news.example/feeds/asia.xml"),
        ("//cdn.example/world.xml", "https://cdn.example/world.xml"),
        ("HTTPS://CDN.Example:443/world.xml#top", "https://cdn.example/world.xml"),
        (" http://news.example/world.xml ", "http://news.example/world.xml"),
    ],
)
def test_location_is_resolved_against_the_current_url(location: str, target: str) -> None:
    assert str(chain().follow(301, location)) == target


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (None, "HTTP 302 redirect without a Location header"),
        ("file:///etc/passwd", "redirect to unsupported scheme 'file'"),
        ("ftp://news.example/world.xml", "redirect to unsupported scheme 'ftp'"),
        ("https://news.example:99999/world.xml", "redirect to port 99999 out of range"),
        (
            "https://news.example/feeds/world.xml#again",
            "redirect loop at https://news.example/feeds/world.xml",
        ),
    ],
)
def test_refused_hops(location: str | None, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        chain().follow(302, location)
    assert (caught.value.url, caught.value.reason, caught.value.status) == (FEED, reason, 302)


def test_permanent_only_when_every_hop_is_301_or_308() -> None:
    walk = chain()
    assert walk.permanent_redirect() is None  # no hop at all
    walk.follow(301, "/a")
    walk.follow(308, "/b")
    assert walk.permanent_redirect() == "https://news.example/b"
    walk.follow(307, "/c")
    assert walk.permanent_redirect() is None


def test_max_redirects_counts_hops() -> None:
    walk = chain(max_redirects=2)
    walk.follow(301, "/a")
    walk.follow(301, "/b")
    with pytest.raises(FetchError, match=r"too many redirects \(more than 2\)"):
        walk.follow(301, "/c")
