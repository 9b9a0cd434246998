"""The outbox guarantee against the worst moment: the daemon is SIGKILLed after an alert was matched and
committed but before the mail server accepted it. After a restart the alert arrives exactly once."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.feed_server import FeedServer
from tests.support.smtp import SmtpReceiver

pytestmark = pytest.mark.integration

RULE = """\
id: volcano
title: Volcano
severity: high
match:
  word: {phrases: [volcano]}
"""
FEED = (
    b'<rss version="2.0"><channel><title>Live</title>'
    b"<item><title>Volcano erupts near the coast</title><guid>v1</guid><link>https://x.example/1</link></item>"
    b"</channel></rss>"
)


class BlackHole:
    """Accepts TCP connections on a port and never says a word: an SMTP client waits for the greeting."""

    def __init__(self, port: int) -> None:
        self.accepted = threading.Event()
        self._closing = threading.Event()
        self._server = socket.create_server(("127.0.0.1", port))
        self._server.settimeout(0.1)  # a blocked accept() would keep the port bound after close()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            self._held.append(conn)
            self.accepted.set()

    def close(self) -> None:
        self._closing.set()
        self._thread.join()
        self._server.close()
        for conn in self._held:
            conn.close()


def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def test_sigkill_between_match_and_delivery_then_restart_delivers_exactly_once(
    tmp_path: Path, server: FeedServer
) -> None:
    smtp = SmtpReceiver()  # its port, not yet listening
    hole = BlackHole(smtp.port)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "volcano.yaml").write_text(RULE)
    database = tmp_path / "db.sqlite"
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{database}'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {enabled: false}\n"
        "polling: {tick_s: 0.5, parse_workers: 1}\n"
        "delivery: {tick_s: 0.5, timeout_s: 60}\n"
        f"feeds:\n  - {{url: '{server.route('/live.xml', body=FEED)}', interval_s: 600}}\n"
        f"subscribers:\n  - {{name: ops, urls: ['{smtp.url()}']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    assert subprocess.run([*base, "db", "upgrade"], capture_output=True, timeout=60).returncode == 0
    log = (tmp_path / "daemon.log").open("w")
    first = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT)
    try:
        assert hole.accepted.wait(30), "the daemon never tried to deliver"
        first.send_signal(signal.SIGKILL)  # mid-delivery: the mail server has not accepted anything
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    hole.close()
    assert _outbox(database) == [("sending", 0)]  # committed with the match, in hand, never recorded sent

    smtp.start()
    second = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT)
    try:
        [mail] = smtp.wait_for(1, timeout_s=40)  # after the dead daemon's lease (10 s) ran out
        assert "Volcano erupts near the coast" in str(mail["Subject"])
        time.sleep(2)
        assert len(smtp.messages) == 1
        wait_until(lambda: _outbox(database) == [("sent", 1)])
    finally:
        second.send_signal(signal.SIGTERM)
        code = second.wait(timeout=30)
        smtp.stop()
        log.close()
    text = (tmp_path / "daemon.log").read_text()
    assert code == 0, text
    assert "Traceback" not in text


def _outbox(database: Path) -> list[tuple[str, int]]:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(sa.text("SELECT status, attempts FROM outbox"))]
    finally:
        engine.dispose()
