"""Filing enriched articles into stories: candidates from storage, the decision from enrichment.

The recent articles' signatures are kept in memory and topped up incrementally (an article's story never
changes once decided, so only articles newer than the last one seen are read), and pruned to the story
window, so a batch costs one small query, not a reload of two days of signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import enrichment, storage
from monitor.domain import Article, Enrichment
from monitor.settings import EnrichmentSettings


@dataclass
class StoryIndex:
    settings: EnrichmentSettings
    _recent: dict[int, tuple[storage.StoryRow, enrichment.StorySignature]] = field(default_factory=dict)
    _last_id: int = 0

    def assign(
        self,
        db: storage.Database,
        articles: Sequence[Article],
        enrichments: Sequence[Enrichment | None],
        now: datetime,
    ) -> dict[int, enrichment.StoryDecision]:
        """The story of every article that has a signature, in the order given."""
        self._refresh(db, now)
        new = [
            enrichment.StoryCandidate(a.id, enrichment.StorySignature.from_json(e.story_fingerprint))
            for a, e in zip(articles, enrichments, strict=True)
            if e is not None and e.story_fingerprint
        ]
        if not new:
            return {}
        candidates = [
            enrichment.StoryCandidate(row.article_id, signature, row.story_id)
            for row, signature in self._recent.values()
        ]
        decisions = enrichment.assign_stories(new, candidates, self.settings)
        for candidate, decision in zip(new, decisions, strict=True):
            row = storage.StoryRow(decision.article_id, decision.story_id, "", now)
            self._recent[decision.article_id] = (row, candidate.signature)
        return {d.article_id: d for d in decisions}

    def _refresh(self, db: storage.Database, now: datetime) -> None:
        since = now - timedelta(seconds=self.settings.story_window_s)
        for row in storage.story_candidates(db, since, after_article_id=self._last_id):
            self._last_id = max(self._last_id, row.article_id)
            if row.article_id not in self._recent:
                self._recent[row.article_id] = (row, enrichment.StorySignature.from_json(row.signature))
        for article_id in [a for a, (row, _) in self._recent.items() if row.fetched_at < since]:
            del self._recent[article_id]
