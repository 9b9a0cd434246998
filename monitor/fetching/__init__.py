"""Fetching: feed URL → ``FetchResult``, the one home of httpx.

    async with Fetcher(FetchLimits()) as fetcher:
        result = await fetcher.fetch(feed, now)       # FetchResult, or raises FetchError / FeedGoneError
        page = await fetcher.fetch_page(url, now)     # an article page (http/https only): FetchResult

Conditional GET (ETag / Last-Modified), redirects followed by hand (``permanent_redirect`` when every
hop was 301/308), timeouts with an overall deadline, a body size cap enforced while streaming,
Retry-After on 429/503, per-host and total concurrency limits, and ``file://`` feeds. Article pages and
redirects that leave a feed's configured origin connect only to public addresses, checked after DNS
(``addresses``, ``guard``; ``allow_private`` opens intranets). Every httpx exception is translated into
``monitor.errors.FetchError`` here, keeping the cause.
"""

from monitor.fetching.client import Fetcher, fetch_once
from monitor.fetching.limits import FetchLimits
from monitor.fetching.retry_after import parse_retry_after

__all__ = ["FetchLimits", "Fetcher", "fetch_once", "parse_retry_after"]
