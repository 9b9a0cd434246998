"""`enrichment.workers`: the model reads in worker processes, and the product alerts exactly as when it reads
in the daemon's own process. The real daemon (`newsmon run --once`, a subprocess), a real feed server, the
bundled rules with the model on; the seeds and labeled news as one feed, in batches small enough that the
next batch is handed to the workers while the daemon evaluates the one before.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.support.feed_server import FeedServer
from tests.support.seeds import Seed, load_seeds, seed_feed

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
LABELED = REPO / "rules" / "eval" / "dev" / "extra104-summits.yaml"


def _articles() -> list[Seed]:
    labeled = yaml.safe_load(LABELED.read_text())[:24]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    news = [
        Seed(f"L{i:02d}", item["title"], item["text"], start + timedelta(minutes=i))
        for i, item in enumerate(labeled)
    ]
    return [*load_seeds(), *news]


def _run(tmp_path: Path, name: str, feed_url: str, workers: int) -> tuple[sqlite3.Connection, str]:
    folder = tmp_path / name
    folder.mkdir()
    config = folder / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{folder / 'newsmon.db'}'}}\n"
        f"rules: {{paths: ['{REPO / 'rules'}']}}\n"
        "polling: {parse_workers: 1, batch_size: 7}\n"
        f"enrichment: {{enabled: true, workers: {workers}}}\n"
        f"feeds:\n  - {{url: '{feed_url}', name: Wire, interval_s: 600}}\n"
    )
    for args in (("db", "upgrade"), ("run", "--once")):
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    return sqlite3.connect(folder / "newsmon.db"), done.stderr


def _found(run: tuple[sqlite3.Connection, str]) -> tuple[list[tuple[str, ...]], dict[str, object]]:
    db, _ = run
    matches = db.execute(
        "SELECT m.rule_id, a.guid, m.key, m.captures FROM matches m JOIN articles a ON a.id = m.article_id "
        "ORDER BY a.guid, m.rule_id"
    ).fetchall()
    entities = dict(
        db.execute("SELECT a.guid, e.entities FROM enrichments e JOIN articles a ON a.id = e.article_id")
    )
    return matches, {guid: json.loads(value) for guid, value in entities.items()}


def test_workers_find_what_the_daemon_finds_alone(tmp_path: Path) -> None:
    articles = _articles()
    with FeedServer() as server:
        url = server.route("/wire.xml", body=seed_feed(articles), content_type="application/rss+xml")
        in_process = _run(tmp_path, "alone", url, workers=1)
        in_workers = _run(tmp_path, "pooled", url, workers=2)
    assert "worker processes" not in in_process[1]
    assert "the model reads in 2 worker processes" in in_workers[1]
    alone, pooled = _found(in_process), _found(in_workers)
    matches, entities = alone
    assert len(entities) == len(articles)  # every article enriched and stored
    assert {rule for rule, *_ in matches} >= {"sanctions-new", "summit-status", "oil-export-figure"}
    assert pooled == alone
