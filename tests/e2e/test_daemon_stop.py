"""How the daemon ends (issue 8 items 7 and 15), with the real daemon as a subprocess.

- SIGTERM stops it after the batch in hand: a backlog of queued articles stays queued for the next start
  (it used to drain the whole backlog first: 10 minutes for 97,000 articles).
- SIGKILL leaves no process behind: the parse workers and the resource tracker go with the daemon (they
  used to run on for good, ~125 MB each).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor import storage
from monitor.domain import Entry, FeedSource, FeedUpdate
from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.integration

BACKLOG = 4000  # blank-model enrichment takes well over a minute for these on this machine
BATCH_SIZE = 20
RULE = "id: volcano\ntitle: Volcano\nmatch:\n  word: {phrases: [volcano]}\n"


def wait_until(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def write_config(tmp_path: Path, feed_url: str, *, workers: int) -> list[str]:
    """The config file; returns the command that starts ``newsmon`` with it."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "volcano.yaml").write_text(RULE)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        f"polling: {{tick_s: 0.5, batch_size: {BATCH_SIZE}, parse_workers: {workers}}}\n"
        "enrichment: {enabled: true, model: blank}\n"
        f"feeds:\n  - {{url: '{feed_url}', interval_s: 60}}\n"
        f"subscribers:\n  - {{name: desk, urls: ['jsonl://{tmp_path}/desk.jsonl']}}\n"
    )
    base = [sys.executable, "-m", "monitor", "--config", str(config)]
    upgrade = subprocess.run([*base, "db", "upgrade"], capture_output=True, text=True, timeout=60)
    assert upgrade.returncode == 0, upgrade.stderr
    return base


def queue_backlog(database_url: str, count: int) -> None:
    """``count`` stored, unprocessed articles of a feed, as if a big poll had just saved them."""
    db = storage.Database.open(database_url)
    now = datetime.now(UTC)
    feed = storage.add_feed(
        db, FeedSource(url="http://backlog.invalid/feed", name="backlog", interval_s=3600), now
    )
    assert feed.id is not None
    entries = [
        Entry(
            identity=f"backlog-{n}",
            title=f"Markets report {n}",
            content=f"Report {n}: the central bank held rates steady and the volcano stayed quiet.",
            published_at=now,
        )
        for n in range(count)
    ]
    storage.save_poll(db, FeedUpdate(feed_id=feed.id, checked_at=now, next_poll_at=now), entries, now)
    db.close()


def processed(database_url: str) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "select count(*) from articles where processed_at is not null"
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_sigterm_stops_between_batches_and_leaves_the_backlog_queued(
    tmp_path: Path, server: FeedServer
) -> None:
    url = server.route("/wire.xml", body=b'<rss version="2.0"><channel><title>W</title></channel></rss>')
    base = write_config(tmp_path, url, workers=1)
    database_url = f"sqlite:///{tmp_path}/db.sqlite"
    queue_backlog(database_url, BACKLOG)
    with (tmp_path / "daemon.log").open("w") as log:
        daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: processed(database_url) >= BATCH_SIZE)
        daemon.send_signal(signal.SIGTERM)
        before = processed(database_url)
        code = daemon.wait(timeout=60)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    text = (tmp_path / "daemon.log").read_text()
    after = processed(database_url)
    assert code == 0, text
    assert "daemon stopped" in text and "Traceback" not in text
    # the daemon processes in two runners (the tick's cycle and the wake-up loop), each with its own claims:
    # each finishes the batch in hand (and one it claimed while the signal arrived); the rest stays queued
    assert after - before <= 2 * 2 * BATCH_SIZE, (before, after)
    assert after < BACKLOG


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, that is: neither gone nor a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_leaves_no_worker_or_resource_tracker_behind(tmp_path: Path, server: FeedServer) -> None:
    url = server.route("/wire.xml", body=b'<rss version="2.0"><channel><title>W</title></channel></rss>')
    base = write_config(tmp_path, url, workers=2)
    with (tmp_path / "daemon.log").open("w") as log:
        daemon = subprocess.Popen([*base, "run"], stdout=log, stderr=subprocess.STDOUT)
    children: set[int] = set()
    try:
        # a parse worker (started on demand, done starting once it parsed) and the resource tracker
        wait_until(lambda: "polled feed" in (tmp_path / "daemon.log").read_text())
        wait_until(lambda: len(descendants(daemon.pid)) >= 2)
        children = descendants(daemon.pid)
        os.kill(daemon.pid, signal.SIGKILL)
        daemon.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {pid: command(pid) for pid in children if alive(pid)}
    finally:
        children |= descendants(daemon.pid) if daemon.poll() is None else set()
        if daemon.poll() is None:
            daemon.terminate()
            daemon.wait(timeout=30)
        for pid in children:  # never leave them behind for the next test either
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the daemon was killed: {left}"
