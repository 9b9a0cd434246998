"""Filing enriched articles into stories: candidates from storage, the decision from enrichment.

The recent articles' signatures are kept in memory and topped up incrementally (an article's story never
changes once decided, so only articles newer than the last one seen are read), and pruned to the story
window, so a batch costs one small query, not a reload of two days of signatures. They live in the
story pool only, as its arrays (a few KB an article; the signatures themselves held ~20 KB each).

The index learns a batch's decisions only once they are committed (``commit``): after a failed commit a
remembered decision would name a story that was never saved, and every later batch filing an article under
it would fail on the foreign key, wedging processing until a restart.

The daemon processes in two runners at once (the tick's cycle and the wake-up loop, each in a thread) that
share one index. ``assign`` indexes its batch in the pool while it decides, so a second batch deciding at the
same moment could join a story of the first that is not saved yet (a foreign-key failure when it is saved
first): one lock makes each ``assign``, ``commit`` and refresh whole.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import enrichment, storage
from monitor.domain import Article, Enrichment
from monitor.settings import EnrichmentSettings


@dataclass(frozen=True)
class StoryAssignment:
    """The stories decided for one batch, to hand to ``StoryIndex.commit`` once the batch is saved."""

    decisions: dict[int, enrichment.StoryDecision]
    signatures: dict[int, enrichment.StorySignature]
    at: datetime


@dataclass
class StoryIndex:
    settings: EnrichmentSettings
    _recent: dict[int, datetime] = field(default_factory=dict)  # the pool's articles: when each was fetched
    _last_id: int = 0
    _pool: enrichment.StoryPool = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._pool = enrichment.StoryPool(self.settings)

    def assign(
        self,
        db: storage.Database,
        articles: Sequence[Article],
        enrichments: Sequence[Enrichment | None],
        now: datetime,
    ) -> StoryAssignment:
        """The story of every article that has a signature, in the order given; learnt only on ``commit``."""
        new = [
            enrichment.StoryCandidate(a.id, enrichment.StorySignature.from_json(e.story_fingerprint))
            for a, e in zip(articles, enrichments, strict=True)
            if e is not None and e.story_fingerprint
        ]
        if not new:
            return StoryAssignment({}, {}, now)
        with self._lock:
            self._refresh(db, now)
            decisions = self._pool.assign(new)  # an article decided again is never its own match
        return StoryAssignment(
            {d.article_id: d for d in decisions}, {c.article_id: c.signature for c in new}, now
        )

    def commit(self, assignment: StoryAssignment) -> None:
        """Learn a batch's decisions: call only after the transaction that saved them committed."""
        with self._lock:
            for article_id, decision in assignment.decisions.items():
                if article_id in self._recent:  # another runner's refresh read it from storage already
                    continue
                self._pool.add(article_id, assignment.signatures[article_id], decision.story_id)
                self._recent[article_id] = assignment.at

    def _refresh(self, db: storage.Database, now: datetime) -> None:
        since = now - timedelta(seconds=self.settings.story_window_s)
        for row in storage.story_candidates(db, since, after_article_id=self._last_id):
            self._last_id = max(self._last_id, row.article_id)
            if row.article_id not in self._recent:
                self._pool.add(
                    row.article_id, enrichment.StorySignature.from_json(row.signature), row.story_id
                )
                self._recent[row.article_id] = row.fetched_at
        for article_id in [a for a, fetched_at in self._recent.items() if fetched_at < since]:
            del self._recent[article_id]
            self._pool.remove(article_id)
