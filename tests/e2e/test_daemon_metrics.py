"""The running daemon's /metrics counts its own work: polls, matches, planned alerts, deliveries."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_daemon_signals import RULE, alerts, feed, free_port, wait_until
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def scrape(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            return str(answer.read().decode())
    except OSError:
        return ""


def test_metrics_count_polls_matches_alerts_and_deliveries(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/live.xml", body=feed("Volcano erupts", "Markets calm"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "volcano.yaml").write_text(
        RULE.format(id="volcano", title="Volcano", word="volcano")
    )
    out, port = tmp_path / "alerts.jsonl", free_port()
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "polling: {tick_s: 0.5, parse_workers: 1}\n"
        "delivery: {tick_s: 0.5}\n"
        f"health: {{enabled: true, port: {port}}}\n"
        f"feeds:\n  - {{url: '{url}', interval_s: 600}}\n"
        f"subscribers:\n  - {{name: ops, urls: ['jsonl://{out}']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0
    daemon = subprocess.Popen([*base, "run"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: len(alerts(out)) == 1)
        wait_until(lambda: 'newsmon_deliveries_total{channel="jsonl",result="sent"} 1.0' in scrape(port))
        body = scrape(port)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    for line in (
        'newsmon_polls_total{outcome="new"} 1.0',
        "newsmon_articles_stored_total 2.0",
        'newsmon_matches_total{rule="volcano"} 1.0',
        'newsmon_alerts_planned_total{outcome="alert"} 1.0',
        "newsmon_processing_lag_seconds_count 2.0",
        "newsmon_delivery_latency_seconds_count 1.0",
        "newsmon_config_last_reload_success 1.0",
        'newsmon_build_info{version="',
    ):
        assert line in body, line
