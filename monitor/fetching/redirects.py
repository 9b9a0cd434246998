"""Redirects followed by hand, so we can see every hop.

httpx could follow redirects itself, but then the poller could not tell a permanent move (every hop a
301/308: update the stored URL after a few sightings) from a temporary one (a 302 to a CDN: keep the
URL), and loop and scheme checks would be out of our hands. ``RedirectChain`` remembers the hops of one
fetch and refuses loops, over-long chains and redirects away from http(s) — a feed must never be able to
point us at ``file:///etc/passwd``. It also knows whether the current hop is still the operator's choice
(the configured URL's origin, never left) or a remote server's, which must pass the address check.
"""

from __future__ import annotations

import httpx

from monitor.errors import FetchError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
WEB_SCHEMES = frozenset({"http", "https"})


class RedirectChain:
    """The URLs one fetch has visited, starting with the feed's own URL."""

    def __init__(self, feed_url: str, start: httpx.URL, max_redirects: int, *, trusted: bool = False) -> None:
        self._feed_url = feed_url
        self._max_redirects = max_redirects
        self._statuses: list[int] = []
        self._seen: set[str] = {_key(start)}
        self._start_origin = origin(start)
        self.current = start
        # the operator chose the start URL: requests stay unguarded while the chain keeps to its origin
        self.trusted = trusted

    @property
    def guarded(self) -> bool:
        """Whether the current URL must pass the address check (``addresses``) before we connect."""
        return not self.trusted

    @property
    def hops(self) -> int:
        return len(self._statuses)

    def follow(self, status: int, location: str | None) -> httpx.URL:
        """Move to the ``Location`` of a redirect response, or raise ``FetchError`` saying why not."""
        if not location:
            raise self._refuse(f"HTTP {status} redirect without a Location header", status)
        try:
            target = self.current.join(location.strip()).copy_with(fragment=None)
        except httpx.InvalidURL as exc:
            raise self._refuse(f"redirect to an invalid URL {location!r}", status) from exc
        problem = url_problem(target)
        if problem:
            raise self._refuse(f"redirect to {problem}", status)
        if _key(target) in self._seen:
            raise self._refuse(f"redirect loop at {target}", status)
        if self.hops >= self._max_redirects:
            raise self._refuse(f"too many redirects (more than {self._max_redirects})", status)
        self._statuses.append(status)
        self._seen.add(_key(target))
        self.current = target
        # once a server sent us elsewhere, every later hop is its choice, even one back to the start origin
        self.trusted = self.trusted and origin(target) == self._start_origin
        return target

    def _refuse(self, reason: str, status: int) -> FetchError:
        return FetchError(self._feed_url, reason, status=status)

    def permanent_redirect(self) -> str | None:
        """The final URL when there was at least one hop and every hop was 301/308, else None."""
        if self._statuses and all(status in PERMANENT_STATUSES for status in self._statuses):
            return str(self.current)
        return None


def url_problem(url: httpx.URL) -> str | None:
    """Why we will not request ``url`` (for a start URL or a redirect target), or None when it is fine.

    Checked here because httpx lets some of these through to the socket layer, which then raises
    errors that are not httpx's (a port above 65535 surfaces as an ``OverflowError``).
    """
    if url.scheme not in WEB_SCHEMES:
        return f"unsupported scheme {url.scheme!r}"
    if not url.host:
        return "a URL without a host"
    if url.port is not None and not 0 < url.port < 65536:
        return f"port {url.port} out of range"
    return None


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in: what a redirect must keep to stay trusted."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


def _key(url: httpx.URL) -> str:
    # httpx lower-cases scheme and host, and copy_with re-normalises (dropping a default port); the
    # fragment never reaches the server, so two URLs differing only there are the same resource.
    return str(url.copy_with(fragment=None))
