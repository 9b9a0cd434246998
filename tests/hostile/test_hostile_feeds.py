"""Hostile feeds polled through the real pipeline, on SQLite and PostgreSQL (the cases: ``cases.py``).

Each case is polled in one run together with a healthy feed. The healthy feed's article must be stored
whatever the hostile one does; the hostile one ends either refused, with its error recorded on the feed
(naming the feed URL, with the case's reason), or stored with the case's inert result. Servers that must
never be asked (a DTD's host, an internal service) are checked for requests.

Large inputs that are not about the database (100,000 items) are in ``test_hostile_sizes.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.settings import Settings, load_settings
from tests.hostile.cases import CASES, Hostile, item, rss
from tests.pipeline.harness import NOW, rows, running
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.slow  # real servers and both databases: the integration tier

GOOD = rss(item("Healthy story", "good-1"))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


@pytest.fixture
def other() -> Iterator[FeedServer]:
    with FeedServer() as other_server:
        yield other_server


def hostile_settings(
    tmp_path: Path, database_url: str, case: Hostile, hostile_url: str, good_url: str
) -> Settings:
    """A config polling both feeds; no private address is allow-listed (the SSRF cases rely on it)."""
    http = {"timeout_s": 1, "connect_timeout_s": 1, **case.http}
    (tmp_path / "rules").mkdir(exist_ok=True)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: '{database_url}'}}\n"
        "rules: {paths: [rules]}\n"
        f"http: {{{', '.join(f'{key}: {value}' for key, value in http.items())}, allow_private: []}}\n"
        "feeds:\n"
        f"  - {{url: '{hostile_url}', fetch_full_text: {str(case.full_text).lower()}}}\n"
        f"  - {{url: '{good_url}'}}\n"
        "subscribers: []\n"
        "enrichment: {enabled: false}\n"
    )
    return load_settings(config, {})


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_a_hostile_feed_is_refused_or_stored_inert_and_never_costs_a_healthy_one(
    case: Hostile, tmp_path: Path, database_url: str, server: FeedServer, other: FeedServer
) -> None:
    hostile_url = case.serve(server, other)
    good_url = server.route("/good.xml", body=GOOD)
    settings = hostile_settings(tmp_path, database_url, case, hostile_url, good_url)

    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        errors = {row.url: row.last_error for row in rows(context, "select url, last_error from feeds")}
        stored = rows(
            context,
            "select a.title, a.link, a.summary, a.content, f.url from articles a join feeds f on f.id = a.feed_id "
            "order by a.id",
        )

    assert [row.title for row in stored if row.url == good_url] == ["Healthy story"]
    assert errors[good_url] is None
    hostile_rows = [row[:4] for row in stored if row.url == hostile_url]
    if case.refused is not None:
        error = errors[hostile_url] or ""
        assert error.startswith(f"{hostile_url}: ") and case.refused in error, error[:300]
        assert hostile_rows == []
    else:
        assert errors[hostile_url] is None
        assert case.stored is not None
        case.stored([row for row in stored if row.url == hostile_url])
    for path in case.untouched:
        assert other.requests_to(path) == (), f"{path} was requested"
