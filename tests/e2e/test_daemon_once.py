"""The README's promise end to end: a real feed server, the real daemon (``newsmon run --once`` in a
subprocess), a keyword rule, and apprise ``mailto://`` to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.feed_server import FeedServer
from tests.support.seeds import load_seeds, seed_feed
from tests.support.smtp import SmtpReceiver

pytestmark = pytest.mark.integration

KEYWORD_RULE = """\
id: russian-oil-majors
title: Russian oil majors in the news
severity: high
match:
  company:
    phrases: [Rosneft, Lukoil]
"""


def newsmon(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def write_config(tmp_path: Path, feed_url: str, mail_url: str, database_url: str) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "oil-majors.yaml").write_text(KEYWORD_RULE)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: '{database_url}'}}\n"
        "rules: {paths: [rules]}\n"
        "polling: {parse_workers: 2}\n"
        f"feeds:\n  - {{url: '{feed_url}', name: Seed Wire, interval_s: 600}}\n"
        f"subscribers:\n  - {{name: analyst, urls: ['{mail_url}']}}\n"
    )
    return config


def test_once_polls_matches_and_mails_and_a_second_run_sends_nothing_new(
    tmp_path: Path, server: FeedServer, smtp: SmtpReceiver, database_url: str
) -> None:
    seeds = load_seeds()
    feed_url = server.route(
        "/seeds.xml", body=seed_feed(seeds), etag='"v1"', content_type="application/rss+xml"
    )
    config = write_config(tmp_path, feed_url, smtp.url(), database_url)

    assert newsmon(config, "db", "upgrade").returncode == 0
    first = newsmon(config, "run", "--once")
    assert first.returncode == 0, first.stderr
    assert "polled 1 feeds (5 new articles" in first.stderr

    mails = smtp.wait_for(2)
    subjects = sorted(str(m["Subject"]) for m in mails)
    expected = sorted(s.title for s in seeds if "rosneft" in s.text.lower() or "lukoil" in s.text.lower())
    assert len(expected) == 2
    assert all(any(title[:60] in subject for subject in subjects) for title in expected), subjects
    body = mails[0].get_body(preferencelist=("plain", "html"))
    assert body is not None
    assert "Russian oil majors in the news" in body.get_content()

    second = newsmon(config, "run", "--once", "--all")
    assert second.returncode == 0, second.stderr
    assert "polled 1 feeds (0 new articles, 1 not modified" in second.stderr
    assert server.requests_to("/seeds.xml")[-1].headers.get("if-none-match") == '"v1"'
    time.sleep(0.5)
    assert len(smtp.messages) == 2

    # the publisher adds one article mentioning Lukoil: exactly one more mail
    extra = seeds[-1].__class__(
        "999", "Lukoil sells foreign assets", "Lukoil agreed to sell assets abroad.", seeds[-1].published_at
    )
    server.route(
        "/seeds.xml", body=seed_feed([*seeds, extra]), etag='"v2"', content_type="application/rss+xml"
    )
    third = newsmon(config, "run", "--once", "--all")
    assert third.returncode == 0, third.stderr
    assert "polled 1 feeds (1 new articles" in third.stderr
    assert len(smtp.wait_for(3)) == 3
    time.sleep(0.5)
    assert len(smtp.messages) == 3

    listed = newsmon(config, "alerts", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("sent") == 3
