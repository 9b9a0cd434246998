"""One failed processing transaction must not wedge processing (issue 8 item 3), on SQLite and PostgreSQL.

``StoryIndex`` used to learn its decisions before the commit: after one failed commit, later batches filed
articles under stories that were never saved and failed on the foreign key every tick until a restart.
Here the commit fails for real (PostgreSQL: the database turned read-only and the backends terminated;
SQLite: a trigger refuses the new story's row), the database heals, and the next batch must process and
alert.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor import pipeline, storage
from monitor.errors import StorageError
from monitor.settings import Settings, load_settings
from tests.pipeline.harness import NOW, running, scalar
from tests.support.feed_server import FeedServer

RULE = "id: volcano\ntitle: Volcano\nmatch:\n  word: {phrases: [volcano]}\n"
TEXT = (
    "The Etna volcano erupted on Sunday night, sending ash over Catania airport, which closed two runways "
    "while firefighters in Sicily watched lava flows near the villages on the southern slope."
)


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><link>https://news.example/{guid}</link>"
        f"<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate><description>{TEXT}</description></item>"
        for guid, title in items
    )
    return f'<rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'.encode()


def write_config(tmp_path: Path, database_url: str, feed_url: str) -> Settings:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "volcano.yaml").write_text(RULE)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: '{database_url}'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {enabled: true, model: blank}\n"
        f"feeds:\n  - {{url: '{feed_url}'}}\n"
        f"subscribers:\n  - {{name: desk, urls: ['jsonl://{tmp_path}/desk.jsonl']}}\n"
    )
    return load_settings(config, {})


@contextmanager
def failing_commits(db: storage.Database) -> Iterator[None]:
    """Every transaction that writes a story fails until the block ends; then the database is healthy."""
    if db.dialect == "sqlite":
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_stories BEFORE INSERT ON stories "
                "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
            )
        try:
            yield
        finally:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TRIGGER refuse_stories")
        return
    name = db.engine.url.database
    admin = sa.create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def read_only(on: bool) -> None:
        with admin.connect() as conn:
            setting = (
                "SET default_transaction_read_only = on" if on else "RESET default_transaction_read_only"
            )
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" {setting}')
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    read_only(True)
    try:
        yield
    finally:
        read_only(False)
        admin.dispose()


def processed(context: pipeline.PipelineContext) -> object:
    return scalar(context, "select count(*) from articles where processed_at is not null")


async def test_after_a_failed_commit_the_next_batch_processes_and_alerts(
    tmp_path: Path, database_url: str
) -> None:
    with FeedServer() as server:
        url = server.route("/wire.xml", body=rss(("a", "Etna erupts")))
        settings = write_config(tmp_path, database_url, url)
        lease = timedelta(seconds=settings.workers.grace_s + 1)
        async with running(settings) as context:
            await pipeline.poll_due_feeds(context, NOW)
            claimed = storage.claim_unprocessed_articles(context.db, NOW, 10, settings.workers.grace_s)
            assert len(claimed) == 1
            with failing_commits(context.db), pytest.raises(StorageError):
                pipeline.process_batch(context, claimed, NOW)
            assert processed(context) == 0

            # healed: the failed article (its lease expired) and a copy from a later poll are processed
            server.route("/wire.xml", body=rss(("b", "Etna erupts again"), ("a", "Etna erupts")))
            await pipeline.poll_due_feeds(context, NOW + timedelta(days=1))
            report = pipeline.process_pending_articles(context, NOW + timedelta(days=1) + lease)
            done = processed(context)
            stories = scalar(context, "select count(distinct story_id) from articles")
            outbox = scalar(context, "select count(*) from outbox")
    assert (report.articles, done, stories) == (2, 2, 1)
    assert report.alerts >= 1 and outbox == report.alerts


async def test_a_failed_batch_is_handed_back_at_once_not_held_while_the_worker_lives(
    tmp_path: Path, database_url: str
) -> None:
    """A live worker renews its claims on every heartbeat: a batch that failed used to stay claimed by it
    until it stopped (seen in a daemon as hundreds of articles never processed)."""
    with FeedServer() as server:
        url = server.route("/wire.xml", body=rss(("a", "Etna erupts")))
        settings = write_config(tmp_path, database_url, url)
        async with running(settings) as context:
            await pipeline.poll_due_feeds(context, NOW)
            with failing_commits(context.db), pytest.raises(StorageError):
                pipeline.process_pending_articles(context, NOW)
            held = storage.held_by(context.db, context.lease.worker)["articles"]
            report = pipeline.process_pending_articles(context, NOW)  # same instant: no lease to wait out
            done = processed(context)
    assert (held, report.articles, done) == (0, 1, 1)
