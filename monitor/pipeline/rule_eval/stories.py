"""Story clustering measured against the labeled stories: B-cubed precision, recall and F1.

The replay files articles into stories as the daemon does — a ``StoryPool`` of the articles still inside
``story_window_s`` — one article at a time in publication order, as if each arrived
on its own poll. B-cubed (Bagga & Baldwin, 1998) scores every article: precision is the share of its
assigned story that carries its label, recall the share of its labeled story that landed in its assigned
one; both are averaged over the articles. A wrong merge costs precision (it hides an alert), a split costs
recall (a repeat alerts again). Articles without a ``story`` label are filed but not scored.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from monitor import enrichment
from monitor.domain import Article, Enrichment
from monitor.pipeline.rule_eval.labels import LabeledArticle
from monitor.settings import EnrichmentSettings


@dataclass(frozen=True)
class StoryScore:
    """B-cubed figures, and the clustering mistakes behind them (label ids, for the report)."""

    articles: int  # scored: those with a story label
    stories: int  # labeled stories among them
    assigned: int  # stories the replay made of them
    precision: float
    recall: float
    merged: tuple[tuple[str, ...], ...]  # an assigned story holding several labels: those labels
    split: tuple[tuple[str, int], ...]  # a label spread over several assigned stories: (label, how many)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def replay_stories(
    articles: Sequence[Article], enrichments: Sequence[Enrichment | None], settings: EnrichmentSettings
) -> dict[int, int]:
    """The story id of each article (by article id), filed in the order given; no signature: its own story."""
    window = timedelta(seconds=settings.story_window_s)
    pool = enrichment.StoryPool(settings)
    decided: deque[Article] = deque()  # in the pool, oldest first
    stories: dict[int, int] = {}
    for article, found in zip(articles, enrichments, strict=True):
        if found is None or not found.story_fingerprint:
            stories[article.id] = article.id
            continue
        signature = enrichment.StorySignature.from_json(found.story_fingerprint)
        for old in [a for a in decided if article.published_at - a.fetched_at > window]:
            pool.remove(old.id)
            decided.remove(old)
        (decision,) = pool.assign([enrichment.StoryCandidate(article.id, signature)])
        stories[article.id] = decision.story_id
        pool.add(article.id, signature, decision.story_id)
        decided.append(article)
    return stories


def score_stories(labels: Mapping[int, LabeledArticle], assigned: Mapping[int, int]) -> StoryScore | None:
    """B-cubed of ``assigned`` (article id → story) against the labels' stories; None when none is labeled."""
    gold = {article_id: label.story for article_id, label in labels.items() if label.story}
    if not gold:
        return None
    by_story: dict[int, set[int]] = defaultdict(set)
    by_label: dict[str, set[int]] = defaultdict(set)
    for article_id, story in gold.items():
        by_story[assigned[article_id]].add(article_id)
        by_label[story].add(article_id)
    precision = recall = 0.0
    for article_id, story in gold.items():
        cluster, truth = by_story[assigned[article_id]], by_label[story]
        together = len(cluster & truth)
        precision += together / len(cluster)
        recall += together / len(truth)
    merged = sorted(
        tuple(sorted({gold[a] for a in members}))
        for members in by_story.values()
        if len({gold[a] for a in members}) > 1
    )
    split = sorted(
        (story, count)
        for story, members in by_label.items()
        if (count := len({assigned[a] for a in members})) > 1
    )
    return StoryScore(
        articles=len(gold),
        stories=len(by_label),
        assigned=len(by_story),
        precision=precision / len(gold),
        recall=recall / len(gold),
        merged=tuple(merged),
        split=tuple(split),
    )


def measure_stories(
    evaluated: Sequence[tuple[LabeledArticle, Article, Enrichment | None]], settings: EnrichmentSettings
) -> StoryScore | None:
    """Replay and score the stories of an evaluated corpus (in its publication order)."""
    if not any(found is not None for _, _, found in evaluated):
        return None  # enrichment is off: no signatures, nothing to measure
    assigned = replay_stories([a for _, a, _ in evaluated], [e for _, _, e in evaluated], settings)
    return score_stories({article.id: label for label, article, _ in evaluated}, assigned)
