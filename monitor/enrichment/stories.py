"""Stories: which articles report the same news. A pure function over signatures; storage keeps the result.

Two ways an article joins an existing story:

1. **Near-duplicate** — the same text re-published, trimmed or re-spun with synonyms. The MinHash of word
   2-shingles estimates the Jaccard similarity ``j`` of the two shingle sets, and from ``j`` and the set
   sizes the containment of the shorter text in the longer one (a trimmed copy has a low Jaccard but a high
   containment). A re-published template with new figures is not a duplicate ("Brent at $66.10" is news
   after "Brent at $65.30").
2. **Independent coverage** — three outlets' own words on the same events. Shingles do not see that; the
   TF-IDF cosine of entity, figure and term features does, where the document frequencies come from the
   pool itself (the recent articles plus the new ones), so the names every article of the day mentions
   weigh little and the rare shared ones ("Budapest", "Lukoil", "2.33 million bpd") weigh much. It must also
   share at least ``story_min_shared`` *anchors* (entities or figures that at most a fifth of the pool
   mentions), and come from another feed: one outlet's follow-ups are not independent coverage.

A false merge is worse than a miss (it hides an alert), so the coverage rule is strict, decays with the
time between the two articles, and needs a pool to learn from: with one or two recent articles every
shared word looks common and nothing but near-duplicates merges.

The pipeline loads the candidates (recent articles within ``story_window_s``, with their story ids and
signatures) from storage, calls ``assign_stories`` with a batch of new articles, and stores the decisions.
A new story is named after its first article: its ``story_id`` is that article's id.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from monitor.enrichment.signature import StorySignature
from monitor.settings.models import EnrichmentSettings

ANCHOR_MAX_SHARE = 0.2  # an anchor is an entity or figure that at most this share of the pool mentions
MIN_SHINGLES_FOR_CONTAINMENT = 20  # a headline inside a long article is not a duplicate of it
# Containment is estimated from the Jaccard estimate; with 64 hash slots fewer than 8 matching slots is
# noise (a short text against a very long one), not evidence.
MIN_MATCHING_FRACTION = 0.125
FOLLOW_UP_S = 12 * 3600  # a near-duplicate with new figures within this long is an update of its story
# Coverage is scored (a TF-IDF cosine) only against the members that share the most anchors with the new
# article: past them a match is ever less likely, and scoring every sharer made each article cost more the
# more were stored (a cold poll of 10,000 articles spent half its time here by its end).
MAX_COVERAGE_CANDIDATES = 100


@dataclass(frozen=True)
class StoryCandidate:
    """An article with its signature; ``story_id`` is None for the articles being assigned."""

    article_id: int
    signature: StorySignature
    story_id: int | None = None


@dataclass(frozen=True)
class StoryDecision:
    """The story of one article. ``reason`` is "new", "duplicate" or "coverage"; ``score`` says how sure."""

    article_id: int
    story_id: int
    is_new: bool
    reason: str
    matched_article_id: int | None = None
    score: float = 0.0


def assign_story(
    article: StoryCandidate, candidates: Sequence[StoryCandidate], settings: EnrichmentSettings
) -> StoryDecision:
    """The story of one new article among ``candidates``; see ``assign_stories``."""
    return assign_stories([article], candidates, settings)[0]


def assign_stories(
    articles: Sequence[StoryCandidate], candidates: Sequence[StoryCandidate], settings: EnrichmentSettings
) -> list[StoryDecision]:
    """Decide the story of each of ``articles`` in order; each decided article is a candidate for the next.

    ``candidates`` must carry story ids. The result does not depend on anything but the arguments.
    """
    pool = _Pool([*candidates, *articles], len(candidates), settings)
    decisions = []
    story_of: list[int] = [_require_story(c) for c in candidates]
    for offset, article in enumerate(articles):
        index = len(candidates) + offset
        decision = pool.decide(index, story_of, article.article_id)
        story_of.append(decision.story_id)
        decisions.append(decision)
    return decisions


def _require_story(candidate: StoryCandidate) -> int:
    if candidate.story_id is None:
        raise ValueError(f"candidate article {candidate.article_id} has no story id")
    return candidate.story_id


class _Pool:
    """Document frequencies, anchors and MinHash rows of every article in one call.

    Feature vectors are computed only for the pairs that share enough anchors, so a call with thousands of
    candidates costs a pass over their feature keys, not thousands of vectors.
    """

    def __init__(
        self, members: Sequence[StoryCandidate], first_new: int, settings: EnrichmentSettings
    ) -> None:
        self.members = members
        self.settings = settings
        features = [m.signature.feature_keys for m in members]
        self.df: Counter[str] = Counter()
        for feature_set in features:
            self.df.update(feature_set)
        self.size = len(members)
        anchor_limit = max(2.0, self.size * ANCHOR_MAX_SHARE)
        self.first_new = first_new
        self.new_anchors = [
            {k for k in f if k[0] in "ef" and self.df[k] <= anchor_limit} for f in features[first_new:]
        ]
        wanted = set().union(*self.new_anchors)
        self.by_anchor: dict[str, list[int]] = defaultdict(list)
        if wanted:
            for index, feature_set in enumerate(features):
                for key in wanted.intersection(feature_set):
                    self.by_anchor[key].append(index)
        self._vectors: dict[int, tuple[dict[str, float], float]] = {}
        self.times = np.array([m.signature.at.timestamp() for m in members], dtype=np.float64)
        hashes = [m.signature.minhash_array for m in members]
        self.has_minhash = np.array([len(h) > 0 for h in hashes], dtype=bool)
        width = max((len(h) for h in hashes), default=0)
        self.minhash = np.zeros((self.size, width), dtype=np.uint64)
        for index, row in enumerate(hashes):
            if len(row):
                self.minhash[index, : len(row)] = row
        self.shingles = np.array([m.signature.shingles for m in members], dtype=np.float64)

    def decide(self, index: int, story_of: Sequence[int], article_id: int) -> StoryDecision:
        """Best earlier member (``< index``) for member ``index``: a duplicate first, else coverage."""
        window = float(self.settings.story_window_s)
        gap = np.abs(self.times[:index] - self.times[index])
        in_window = gap <= window
        duplicate = self._duplicate(index, in_window)
        if duplicate is not None:
            member, score = duplicate
            return StoryDecision(
                article_id, story_of[member], False, "duplicate", self.members[member].article_id, score
            )
        coverage = self._coverage(index, in_window, _time_factor(gap, window))
        if coverage is not None:
            member, score = coverage
            return StoryDecision(
                article_id, story_of[member], False, "coverage", self.members[member].article_id, score
            )
        return StoryDecision(article_id, article_id, True, "new")

    def _duplicate(self, index: int, in_window: np.ndarray) -> tuple[int, float] | None:
        if not self.has_minhash[index] or index == 0:
            return None
        jaccard = (self.minhash[:index] == self.minhash[index]).mean(axis=1)
        smaller = np.minimum(self.shingles[:index], self.shingles[index])
        with np.errstate(divide="ignore", invalid="ignore"):
            containment = jaccard * (self.shingles[:index] + self.shingles[index]) / ((1 + jaccard) * smaller)
        contained = (
            (containment >= self.settings.duplicate_containment)
            & (smaller >= MIN_SHINGLES_FOR_CONTAINMENT)
            & (jaccard >= MIN_MATCHING_FRACTION)
        )
        is_duplicate = (
            ((jaccard >= self.settings.duplicate_jaccard) | contained) & in_window & self.has_minhash[:index]
        )
        scores = np.where(is_duplicate, 1.0 + jaccard, 0.0)
        for best in np.argsort(-scores):
            if scores[best] == 0.0:
                break
            if not self._figures_differ(index, int(best)) and not self._other_actors(index, int(best)):
                return int(best), float(scores[best])
        return None

    def _figures_differ(self, a: int, b: int) -> bool:
        """A templated report with new figures ("Brent at $66.10" after "Brent at $65.30") is new news,
        unless it came within FOLLOW_UP_S: then it is the story's update ("revised to 2.29 million bpd")."""
        left, right = self.members[a].signature.figures, self.members[b].signature.figures
        if abs(self.times[a] - self.times[b]) < FOLLOW_UP_S:
            return False
        return bool(left) and bool(right) and not set(left) & set(right)

    def _other_actors(self, a: int, b: int) -> bool:
        """Leads that name different actors ("Bank of England" vs "Federal Reserve") are different stories,
        however alike the words: central banks, ministries and companies publish in templates."""
        left, right = self.members[a].signature.keys, self.members[b].signature.keys
        return bool(left) and bool(right) and left.isdisjoint(right)

    def _coverage(self, index: int, in_window: np.ndarray, closeness: np.ndarray) -> tuple[int, float] | None:
        shared: dict[int, int] = defaultdict(int)
        for key in self.new_anchors[index - self.first_new]:
            for member in self.by_anchor[key]:
                if member < index:
                    shared[member] += 1
        source = self.members[index].signature.source
        eligible = [
            member
            for member, count in shared.items()
            if count >= self.settings.story_min_shared
            and in_window[member]
            # one outlet's follow-ups are not independent coverage; its reprints are duplicates
            and (source is None or self.members[member].signature.source != source)
            and not self._other_actors(index, member)
        ]
        if len(eligible) > MAX_COVERAGE_CANDIDATES:  # the most anchors shared, then the latest
            kept = set(heapq.nlargest(MAX_COVERAGE_CANDIDATES, eligible, key=lambda m: (shared[m], m)))
            eligible = [member for member in eligible if member in kept]
        best: tuple[int, float] | None = None
        for member in eligible:
            score = self._cosine(index, member) * float(closeness[member])
            if score >= self.settings.story_similarity and (best is None or score > best[1]):
                best = (member, score)
        return best

    def _cosine(self, a: int, b: int) -> float:
        (left, left_norm), (right, right_norm) = self._vector(a), self._vector(b)
        if len(left) > len(right):
            left, right = right, left
        dot = sum(weight * right.get(key, 0.0) for key, weight in left.items())
        norm = left_norm * right_norm
        return dot / norm if norm else 0.0

    def _vector(self, index: int) -> tuple[dict[str, float], float]:
        """TF-IDF weights of one member (sublinear term frequency: ten mentions are not ten times the
        evidence), and their norm."""
        if index not in self._vectors:
            vector = {}
            for key, weight in self.members[index].signature.features.items():
                idf = math.log((self.size + 1) / (self.df[key] + 0.5))
                if idf > 0:
                    vector[key] = (1.0 + math.log(weight)) * idf
            self._vectors[index] = (vector, math.sqrt(sum(v * v for v in vector.values())))
        return self._vectors[index]


def _time_factor(gap_s: np.ndarray, window_s: float) -> np.ndarray:
    """1 for articles within half the window of each other, falling linearly to 0.5 at the window's edge."""
    half = window_s / 2
    return 1.0 - 0.5 * np.clip((gap_s - half) / half, 0.0, 1.0)
