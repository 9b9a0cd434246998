"""The long-running daemon: it alerts while running, refuses a broken reload on SIGHUP (keeping the old
config and rules), picks up a good one — new rules, feeds and subscribers alike — and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration

RULE = """\
id: {id}
title: {title}
match:
  word: {{phrases: [{word}]}}
"""


def feed(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>{t}</guid><link>https://x.example/{i}</link></item>"
        for i, t in enumerate(titles)
    )
    return f'<rss version="2.0"><channel><title>Live</title>{items}</channel></rss>'.encode()


def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def alerts(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def test_daemon_alerts_reloads_rules_on_sighup_and_stops_on_sigterm(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/live.xml", body=feed("Volcano erupts"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "volcano.yaml").write_text(RULE.format(id="volcano", title="Volcano", word="volcano"))
    out = tmp_path / "alerts.jsonl"
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "polling: {tick_s: 0.5, parse_workers: 1}\n"
        "delivery: {tick_s: 0.5}\n"
        f"feeds:\n  - {{url: '{url}', interval_s: 5}}\n"
        f"subscribers:\n  - {{name: ops, urls: ['jsonl://{out}']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0
    with (tmp_path / "daemon.log").open("w") as log:
        daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: len(alerts(out)) == 1)
        assert "Volcano erupts" in json.dumps(alerts(out)[0])

        # a broken rule file: the reload is refused and the running rules are kept
        (rules / "broken.yaml").write_text("id: broken\ntitle: B\nmatch:\n  w: {phrase: [x]}\n")
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: "reload refused" in (tmp_path / "daemon.log").read_text())

        # fixed: the new rule is live after the next SIGHUP and alerts on the next poll
        (rules / "broken.yaml").write_text(RULE.format(id="quake", title="Quake", word="earthquake"))
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: "config reloaded" in (tmp_path / "daemon.log").read_text())
        server.route("/live.xml", body=feed("Earthquake shakes the coast", "Volcano erupts"))
        wait_until(lambda: len(alerts(out)) == 2)
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
    text = (tmp_path / "daemon.log").read_text()
    assert code == 0, text
    assert "daemon stopped" in text
    assert "Traceback" not in text
    assert len(alerts(out)) == 2


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sighup_reloads_feeds_and_subscribers_and_a_broken_config_shows_in_readyz_and_status(
    tmp_path: Path, server: FeedServer
) -> None:
    import urllib.error
    import urllib.request

    first = server.route("/first.xml", body=feed("Volcano erupts"))
    second = server.route("/second.xml", body=feed("Volcano wakes again"))
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "volcano.yaml").write_text(RULE.format(id="volcano", title="Volcano", word="volcano"))
    ops, desk = tmp_path / "ops.jsonl", tmp_path / "desk.jsonl"
    port = free_port()
    config = tmp_path / "newsmon.yaml"
    head = (
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "polling: {tick_s: 0.5, parse_workers: 1}\n"
        "delivery: {tick_s: 0.5}\n"
        f"health: {{enabled: true, port: {port}}}\n"
    )
    config.write_text(
        head
        + f"feeds:\n  - {{url: '{first}', interval_s: 5}}\n"
        + f"subscribers:\n  - {{name: ops, urls: ['jsonl://{ops}']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0

    def ready() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()
        except OSError:
            return 0, ""

    log_path = tmp_path / "daemon.log"
    with log_path.open("w") as log:
        daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: len(alerts(ops)) == 1)
        wait_until(lambda: ready()[0] == 200)

        # a second feed and a second subscriber, added to the config while it runs
        config.write_text(
            head
            + f"feeds:\n  - {{url: '{first}', interval_s: 5}}\n  - {{url: '{second}', interval_s: 5}}\n"
            + f"subscribers:\n  - {{name: ops, urls: ['jsonl://{ops}']}}\n"
            + f"  - {{name: desk, urls: ['jsonl://{desk}']}}\n"
        )
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: "config reloaded: 2 feeds, 2 subscribers" in log_path.read_text())
        wait_until(lambda: len(alerts(desk)) == 1)  # the new feed's article, to the new subscriber
        assert "Volcano wakes again" in json.dumps(alerts(desk))

        # a broken config: refused, the running one kept, visible in /readyz and `newsmon status`
        good = config.read_text()
        config.write_text(good.replace("interval_s: 5}", "interval_s: five}", 1))
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: ready()[0] == 503)
        assert "last reload failed" in ready()[1]
        # (the broken file itself cannot be loaded by `status`: ask with a config naming only the database)
        viewer = tmp_path / "viewer.yaml"
        viewer.write_text(f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n")
        look = [sys.executable, "-m", "monitor", "--config", str(viewer), "status"]
        status = subprocess.run(look, capture_output=True, text=True, timeout=60)
        assert "last reload FAILED" in status.stdout and "interval_s" in status.stdout
        config.write_text(good)  # fixed: ready again after the next SIGHUP
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: ready()[0] == 200)
        status = subprocess.run(look, capture_output=True, text=True, timeout=60)
        assert "FAILED" not in status.stdout
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
    text = log_path.read_text()
    assert code == 0, text
    assert "Traceback" not in text
