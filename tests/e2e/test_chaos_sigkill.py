"""Chaos: real daemons SIGKILLed and restarted at random while feeds keep publishing and a slow webhook
receiver logs every POST. The receiver's log is the judge (issue 12):

- every published item is stored once and alerted under exactly one idempotency key, and that key reached
  the receiver: nothing lost, no alert planned twice;
- a POST the receiver saw more than once carries the same key every time, and every such repeat is a
  counted recovery (``outbox.recoveries``: a daemon killed after the receiver accepted, before the commit):
  a receiver that honours ``Idempotency-Key`` sees each alert exactly once;
- once the killing stops, everything is processed and delivered within the grace period plus a poll.

PostgreSQL: three daemons; SQLite: one daemon. Bounded to about a minute each; marked slow.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PostgresServer
from tests.support.feed_server import FeedServer
from tests.support.webhook import WebhookReceiver

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FEEDS = 4
PUBLISH_S = 40.0  # items appear for this long, daemons are killed meanwhile
PUBLISH_EVERY_S = 1.5  # one new item per feed this often
WINDOW = 40  # items a feed lists: scrolled off after 60 s, so a feed left unpolled loses items
GRACE_S = 6
# grace + a feed interval + a restarted daemon's start-up (imports take ~10 s on this shared machine) + slack
SETTLE_S = GRACE_S + 5 + 15 + 15
RULE = """\
id: volcano
title: Volcano
severity: high
match:
  word: {phrases: [volcano]}
"""


class Publisher:
    """Feeds that gain one item every ``PUBLISH_EVERY_S``, newest first, the last ``WINDOW`` listed."""

    def __init__(self, server: FeedServer) -> None:
        self.server = server
        self.items: list[tuple[int, int]] = []  # (feed, n) ever published
        self.urls = [self._publish(feed) for feed in range(FEEDS)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def link(self, feed: int, n: int) -> str:
        return f"https://news.example/{feed}/{n}"

    def _publish(self, feed: int) -> str:
        mine = [n for f, n in self.items if f == feed][-WINDOW:]
        entries = "".join(
            f"<item><title>Volcano {feed}-{n} erupts</title><guid>{feed}-{n}</guid>"
            f"<link>{self.link(feed, n)}</link><description>Ash cloud {feed}-{n}.</description></item>"
            for n in reversed(mine)
        )
        body = f'<rss version="2.0"><channel><title>Feed {feed}</title>{entries}</channel></rss>'
        return self.server.route(f"/feed{feed}.xml", body=body.encode(), content_type="application/rss+xml")

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(PUBLISH_EVERY_S):
            for feed in range(FEEDS):
                self.items.append((feed, n))
                self._publish(feed)
            n += 1

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


class Daemons:
    """``count`` daemon processes on one config, each replaced after a SIGKILL; one log file per process."""

    def __init__(self, config: Path, count: int, logs: Path) -> None:
        self.base = [sys.executable, "-m", "monitor", "--config", str(config)]
        self.logs = logs
        self.started = 0
        self.procs = [self._start() for _ in range(count)]
        self.kills = 0

    def _start(self) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.logs / f"daemon-{self.started}.log"
        self.started += 1
        with log.open("wb") as out:
            proc = subprocess.Popen([*self.base, "run"], stdout=out, stderr=subprocess.STDOUT)
        return proc, log

    def up(self, index: int) -> bool:
        """Whether daemon ``index`` finished starting (imports take seconds on a loaded machine)."""
        return "daemon started" in self.procs[index][1].read_text()

    def kill_one(self, rng: random.Random) -> None:
        """SIGKILL a daemon that is up (at work), then start another in its place."""
        candidates = [i for i in range(len(self.procs)) if self.up(i)]
        if not candidates:
            return
        index = rng.choice(candidates)
        proc = self.procs[index][0]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        self.kills += 1
        time.sleep(rng.uniform(0.2, 1.0))
        self.procs[index] = self._start()

    def wait_all_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not all(self.up(i) for i in range(len(self.procs))) and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> list[int | None]:
        # a daemon still importing has no SIGTERM handler yet and would die of the signal: let it start
        self.wait_all_up(60)
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = []
        for proc, _ in self.procs:
            try:
                codes.append(proc.wait(timeout=30))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(None)
        return codes

    def text(self) -> str:
        return "".join(path.read_text() for path in sorted(self.logs.glob("daemon-*.log")))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as hook:
        hook.delay_s = 0.15  # a slow receiver: a kill often lands while it holds a POST
        yield hook


@pytest.fixture
def fresh_postgres(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.create_database(suffix="_chaos")
    yield url
    postgres_server.drop_database(url)


def test_three_daemons_on_postgresql_killed_at_random(
    tmp_path: Path, server: FeedServer, receiver: WebhookReceiver, fresh_postgres: str
) -> None:
    _chaos(tmp_path, server, receiver, fresh_postgres, daemons=3, seed=12)


def test_one_daemon_on_sqlite_killed_at_random(
    tmp_path: Path, server: FeedServer, receiver: WebhookReceiver
) -> None:
    _chaos(tmp_path, server, receiver, f"sqlite:///{tmp_path / 'chaos.db'}", daemons=1, seed=11)


def _chaos(
    tmp_path: Path, server: FeedServer, receiver: WebhookReceiver, url: str, *, daemons: int, seed: int
) -> None:
    rng = random.Random(seed)
    publisher = Publisher(server)
    config = _config(tmp_path, url, publisher, receiver)
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    upgrade = subprocess.run([*base, "db", "upgrade"], capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    running = Daemons(config, daemons, tmp_path)
    try:
        running.wait_all_up(60)
        publisher.start()
        deadline = time.monotonic() + PUBLISH_S
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(2.0, 5.0))
            running.kill_one(rng)
        publisher.stop()
        settled_at = time.monotonic()
        expected = {publisher.link(feed, n) for feed, n in publisher.items}
        _wait_until_settled(url, expected, receiver, SETTLE_S)
        settle_s = time.monotonic() - settled_at
    finally:
        publisher.stop()
        codes = running.stop()
    text = running.text()
    assert codes == [0] * daemons, text[-3000:]
    assert "Traceback" not in text, text[text.index("Traceback") - 200 :][:3000]
    assert running.kills >= 5

    stored = _rows(url, "SELECT link FROM articles")
    assert Counter(link for (link,) in stored) == Counter(expected)  # every item stored, once
    outbox = _rows(url, "SELECT dedupe_key, status, recoveries, article_id FROM outbox")
    assert {status for _, status, _, _ in outbox} == {"sent"}
    assert len(outbox) == len(expected)  # one alert per item
    assert len({article for *_, article in outbox}) == len(expected)
    keys = [post.headers.get("idempotency-key") for post in receiver.posts]
    assert None not in keys
    assert set(keys) == {key for key, *_ in outbox}  # every alert reached the receiver, under its key
    repeats = len(keys) - len(set(keys))
    recoveries = sum(r for _, _, r, _ in outbox)
    assert repeats <= recoveries  # every repeat is the counted, same-key resend of a killed sender
    assert settle_s < SETTLE_S
    print(
        f"\nchaos: {daemons} daemon(s), {running.kills} SIGKILLs, {len(expected)} alerts, "
        f"{len(keys)} POSTs, {repeats} same-key repeats, {recoveries} recoveries, settled in {settle_s:.1f} s"
    )


def _config(tmp_path: Path, url: str, publisher: Publisher, receiver: WebhookReceiver) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "volcano.yaml").write_text(RULE)
    feeds = "".join(f"  - {{url: '{feed}', interval_s: 5}}\n" for feed in publisher.urls)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: '{url}'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {enabled: false}\n"
        "polling: {tick_s: 1, parse_workers: 1, jitter_fraction: 0}\n"
        "delivery: {tick_s: 1, batch_size: 10}\n"
        f"workers: {{grace_s: {GRACE_S}, heartbeat_s: 2}}\n"
        f"feeds:\n{feeds}"
        f"subscribers:\n  - {{name: ops, urls: ['{receiver.url()}']}}\n"
    )
    return config


def _wait_until_settled(url: str, expected: set[str], receiver: WebhookReceiver, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        stored = {link for (link,) in _rows(url, "SELECT link FROM articles")}
        unsent = _rows(url, "SELECT count(*) FROM outbox WHERE status != 'sent'")[0][0]
        unprocessed = _rows(url, "SELECT count(*) FROM articles WHERE processed_at IS NULL")[0][0]
        if stored >= expected and not unsent and not unprocessed:
            keys = {post.headers.get("idempotency-key") for post in receiver.posts}
            if len(keys) >= len(expected):
                return
        time.sleep(0.5)


def _rows(url: str, sql: str) -> list[sa.Row[tuple[object, ...]]]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        engine.dispose()
