"""A 100,000-item feed, fetched from a real server and parsed: every item an entry, and cheap to poll again.

Kept out of the database table (``test_hostile_feeds.py``): storing 100,000 articles twice would test the
databases, not hostile input. The first parse costs feedparser's ~0.3 ms per item (about 30 s here, in a
parse worker); every later poll drops the known items in the expat pre-scan before feedparser sees them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.domain import FeedSource
from monitor.fetching import Fetcher, FetchLimits
from monitor.parsing import parse_feed_with_stats
from tests.hostile.cases import rss
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.slow

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ITEMS = 100_000


async def test_a_100k_item_feed_is_parsed_whole_and_its_known_items_are_cut_before_feedparser() -> None:
    body = rss("".join(f"<item><guid>g{n}</guid><title>Item {n}</title></item>" for n in range(ITEMS)))
    assert len(body) < FetchLimits().max_body_bytes  # under the default cap: it must be read, not refused
    with FeedServer() as server:
        url = server.route("/big.xml", body=body)
        async with Fetcher(FetchLimits(timeout_s=30)) as fetcher:
            fetched = await fetcher.fetch(FeedSource(url=url, name="big", interval_s=300), NOW)
    assert fetched.body == body

    first, _ = parse_feed_with_stats(body, url=url, fetched_at=NOW)
    known = frozenset(entry.identity for entry in first.entries)
    again, stats = parse_feed_with_stats(body, url=url, fetched_at=NOW, known_identities=known)

    assert len(first.entries) == ITEMS == len(known)
    assert (first.entries[0].title, first.entries[-1].title) == ("Item 0", f"Item {ITEMS - 1}")
    assert again.entries == ()
    assert stats.skipped_before_parse == ITEMS
