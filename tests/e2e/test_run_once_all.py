"""``newsmon run --once --all`` with more active feeds than ``polling.batch_size`` polls each feed exactly
once and exits (it used to claim the feeds it had just polled again, forever: issue 8 item 1)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration

FEEDS = 130
BATCH_SIZE = 50


def rss(n: int) -> bytes:
    item = f"<item><title>Story {n}</title><guid>g{n}</guid><link>https://x.example/{n}</link></item>"
    return f'<rss version="2.0"><channel><title>Feed {n}</title>{item}</channel></rss>'.encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def test_once_all_polls_every_feed_exactly_once_and_exits(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    urls = [server.route(f"/f{n}.xml", body=rss(n)) for n in range(FEEDS)]
    (tmp_path / "rules").mkdir()
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: '{database_url}'}}\n"
        "rules: {paths: [rules]}\n"
        f"polling: {{batch_size: {BATCH_SIZE}, parse_workers: 1}}\n"
        "enrichment: {enabled: false}\n"
        "feeds:\n" + "".join(f"  - {{url: '{url}', interval_s: 300}}\n" for url in urls)
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0
    try:
        run = subprocess.run([*base, "run", "--once", "--all"], capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"run --once --all did not exit; {len(server.requests)} requests so far")
    assert run.returncode == 0, run.stderr
    per_path = Counter(request.path for request in server.requests)
    assert len(server.requests) == FEEDS
    assert set(per_path.values()) == {1}
    assert f"polled {FEEDS} feeds ({FEEDS} new articles" in run.stderr
