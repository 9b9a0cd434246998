"""Two runners share one ``StoryIndex`` (the daemon's tick cycle and its wake-up loop, each in a thread).

While one batch is being decided its articles sit in the story pool with stories that are not saved yet; a
second batch deciding at the same moment could join one of them, and its transaction then failed on the
foreign key ("FOREIGN KEY constraint failed" in ``tests/e2e/test_daemon_stop.py``, about one run in three).
Each ``assign`` must be whole: the second waits until the first is done.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from monitor import storage
from monitor.domain import Article, Enrichment
from monitor.enrichment.signature import StorySignature
from monitor.pipeline.stories import StoryIndex
from monitor.settings import EnrichmentSettings

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


class SlowPool:
    """A pool whose first ``assign`` waits inside until released, and that records overlapping calls."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.entered = threading.Event()
        self.release = threading.Event()

    def assign(self, candidates: Any) -> list[Any]:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        self.entered.set()
        self.release.wait(timeout=5)
        self.inside -= 1
        return []


def batch(first_id: int) -> tuple[list[Article], list[Enrichment | None]]:
    signature = StorySignature(at=NOW).to_json()
    articles = [
        Article(
            id=first_id,
            feed_id=1,
            feed_name="wire",
            feed_url="https://wire.example/feed",
            identity=f"a{first_id}",
            title="Volcano",
            link=None,
            guid=None,
            summary="",
            content="The volcano erupted.",
            author=None,
            published_at=NOW,
            fetched_at=NOW,
        )
    ]
    return articles, [Enrichment(first_id, story_fingerprint=signature)]


def test_a_second_batch_waits_until_the_first_is_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "story_candidates", lambda *args, **kwargs: [])
    index = StoryIndex(EnrichmentSettings())
    pool = SlowPool()
    index._pool = pool  # type: ignore[assignment]
    first = threading.Thread(target=index.assign, args=(None, *batch(1), NOW))
    second = threading.Thread(target=index.assign, args=(None, *batch(2), NOW))
    first.start()
    assert pool.entered.wait(timeout=5)
    second.start()
    second.join(timeout=0.3)
    assert second.is_alive(), "the second batch must wait while the first is being decided"
    pool.release.set()
    first.join(timeout=5)
    second.join(timeout=5)
    assert pool.most_inside == 1
