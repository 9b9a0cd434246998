"""Several daemons on one PostgreSQL: claims skip rows another worker holds, so no two workers ever get
the same feed, article or outbox row, and nobody waits for anybody."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.storage import (
    Database,
    claim_due_feeds,
    claim_due_outbox,
    claim_unprocessed_articles,
)
from monitor.storage.tables import articles, feeds, outbox

from .helpers import NOW, alert, match, processed, stored_articles, stored_feed

pytestmark = pytest.mark.postgres

# Without SKIP LOCKED a claim would wait for the other worker's transaction; this makes the wait an error.
LOCK_TIMEOUT = "options=-c%20lock_timeout%3D2000"


@pytest.fixture
def db(postgres_url: str) -> Iterator[Database]:
    database = Database.open(f"{postgres_url}?{LOCK_TIMEOUT}")
    yield database
    database.close()


def test_a_feed_another_worker_is_claiming_is_skipped_not_waited_for(db: Database) -> None:
    for n in range(1, 5):
        stored_feed(db, n)

    with db.write() as other_worker:  # holds its row locks like a claim in progress
        held = other_worker.execute(
            db.for_claim(sa.select(feeds.c.id).order_by(feeds.c.id).limit(2), of=feeds)
        )
        assert list(held.scalars()) == [1, 2]
        mine = claim_due_feeds(db, NOW, limit=10, lease_s=60)

    assert [feed.id for feed in mine] == [3, 4]


def test_claiming_articles_does_not_lock_or_wait_for_their_feed(db: Database) -> None:
    stored_articles(db, 2)

    with db.write() as poller:  # a feed claim in progress locks the feed row
        poller.execute(db.for_claim(sa.select(feeds.c.id), of=feeds)).all()
        claimed = claim_unprocessed_articles(db, NOW, limit=10, lease_s=60)
        with db.write() as other_processor:
            still_free = other_processor.execute(
                db.for_claim(sa.select(articles.c.id).where(articles.c.claimed_until.is_(None)), of=articles)
            ).all()

    assert [a.identity for a in claimed] == ["id-0", "id-1"]
    assert still_free == []


@pytest.mark.parametrize("kind", ["feeds", "articles", "outbox"])
def test_concurrent_claimers_get_disjoint_sets_that_cover_everything(db: Database, kind: str) -> None:
    total = 60
    claim = _prepare(db, kind, total)
    start = threading.Barrier(4)
    claimed: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            start.wait()
            while batch := claim():
                claimed[index].extend(batch)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [row_id for batch in claimed for row_id in batch]
    assert errors == []
    assert sorted(everything) == list(range(1, total + 1))  # each row exactly once


def _prepare(db: Database, kind: str, total: int) -> Callable[[], list[int]]:
    def ids(items: list[Any]) -> list[int]:
        return [item.id for item in items]

    if kind == "feeds":
        for n in range(total):
            stored_feed(db, n)
        return lambda: ids(claim_due_feeds(db, NOW, limit=3, lease_s=600))
    if kind == "articles":
        stored_articles(db, total)
        return lambda: ids(claim_unprocessed_articles(db, NOW, limit=3, lease_s=600))
    (article_id,) = stored_articles(db, 1)
    alerts = [alert(article_id, f"subscriber-{n}") for n in range(total)]
    processed(db, article_id, NOW, None, [match(article_id)], alerts)
    assert _count(db, outbox) == total
    return lambda: ids(claim_due_outbox(db, NOW, limit=3, lease_s=600))


def _count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
