"""The daemon against hostile rule input (issue 8, items 4 and 6): a catastrophic regex does not freeze it,
and a SIGHUP with an alias bomb or an exponential regex is refused at once, the running rules kept."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_daemon_signals import alerts, feed, wait_until
from tests.settings.test_yaml_limits import laughs
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration

RULES = """\
- id: volcano
  title: Volcano
  match: {word: {phrases: [volcano]}}
- id: quake
  title: Quake
  match: {word: {phrases: [earthquake]}}
- id: letters
  title: Letters
  match: {run: {regex: '(a+)+c'}}
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def test_hostile_rules_neither_freeze_the_daemon_nor_get_in_on_reload(
    tmp_path: Path, server: FeedServer
) -> None:
    # hours of backtracking for Python's re, microseconds for RE2
    url = server.route("/live.xml", body=feed("a" * 34 + "b", "Volcano erupts"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "rules.yaml").write_text(RULES)
    out = tmp_path / "alerts.jsonl"
    log_path = tmp_path / "daemon.log"
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {model: blank}\n"
        "polling: {tick_s: 0.5, parse_workers: 1}\n"
        "delivery: {tick_s: 0.5}\n"
        f"feeds:\n  - {{url: '{url}', interval_s: 5}}\n"
        f"subscribers:\n  - {{name: ops, urls: ['jsonl://{out}']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0
    with log_path.open("w") as log:
        daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: len(alerts(out)) == 1)

        # once: 22 s and 1.9 GB for the bomb, and a frozen event loop for the regex
        bad = (laughs(), "- id: evil\n  title: E\n  match: {x: {regex: '(a+)+$'}}\n")
        for refused, text in enumerate(bad, start=1):
            (rules / "bad.yaml").write_text(text)
            daemon.send_signal(signal.SIGHUP)
            wait_until(lambda n=refused: log_path.read_text().count("reload refused") == n)
        (rules / "bad.yaml").unlink()

        server.route("/live.xml", body=feed("Earthquake shakes the coast", "a" * 34 + "b", "Volcano erupts"))
        wait_until(lambda: len(alerts(out)) == 2)  # the running rules still alert
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            code = daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a frozen daemon ignores SIGTERM: do not leave it running
            daemon.kill()
            daemon.wait(timeout=30)
            raise
    text = log_path.read_text()
    assert code == 0, text
    assert "YAML aliases expand to more than 10,000 values" in text
    assert "regex '(a+)+$' can take exponential time" in text
    assert "Traceback" not in text
