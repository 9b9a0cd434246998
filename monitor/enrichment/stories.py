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

The pipeline keeps a ``StoryPool`` of the recent articles (within ``story_window_s``, with their story
ids), adds and drops members as articles come and age, and asks it for a batch's decisions: the document
frequencies, anchor index and MinHash rows are updated per article, not rebuilt per batch over every
recent one. ``assign_stories`` is the same decision as a pure function of its arguments. A new story is
named after its first article: its ``story_id`` is that article's id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.enrichment.signature import StorySignature
from monitor.enrichment.story_members import Member, MemberRows
from monitor.settings.models import EnrichmentSettings

if TYPE_CHECKING:
    import numpy as np
else:  # loaded when the first article is filed: see signature.numpy_on_first_use
    from monitor.enrichment.signature import numpy_on_first_use as np

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
    pool = StoryPool(settings)
    for candidate in candidates:
        pool.add(candidate.article_id, candidate.signature, _require_story(candidate))
    return pool.assign(articles)


def _require_story(candidate: StoryCandidate) -> int:
    if candidate.story_id is None:
        raise ValueError(f"candidate article {candidate.article_id} has no story id")
    return candidate.story_id


class StoryPool(MemberRows):
    """The recent articles, indexed for story decisions: document frequencies, anchors, MinHash rows.

    Members come and go one at a time (``add``, ``remove``), so a batch costs its own articles, not a pass
    over every recent one; ``assign`` files a batch. Feature vectors are computed only for the members that
    share the most anchors with a new article, with numpy, from the document frequencies of the moment.
    """

    def __init__(self, settings: EnrichmentSettings) -> None:
        super().__init__()
        self.settings = settings
        # a batch's articles as indexed while ``assign`` decided them, for when they join for good
        self._stash: dict[int, Member] = {}

    def add(self, article_id: int, signature: StorySignature, story_id: int | None) -> None:
        """Index one article (``story_id`` None until ``assign`` decides it)."""
        stashed = self._stash.pop(article_id, None)
        self._add(article_id, stashed if stashed is not None else self._member(signature), story_id)

    def remove(self, article_id: int) -> None:
        self._remove(article_id)

    def assign(self, articles: Sequence[StoryCandidate]) -> list[StoryDecision]:
        """Decide the story of each of ``articles`` in order; each decided one is a member for the next.

        The pool is left as it was: an article already in it is not its own match, and the batch's articles
        join (``add``) only once their decisions are saved.
        """
        self._stash.clear()  # a batch whose decisions were never saved
        set_aside = [
            (a.article_id, int(self.story[self.slot_of[a.article_id]]), self._take(a.article_id))
            for a in articles
            if a.article_id in self.slot_of
        ]
        for article in articles:  # all of the batch counts in the document frequencies, as one pool
            self.add(article.article_id, article.signature, None)
        decisions = []
        try:
            for article in articles:
                row = self.slot_of[article.article_id]
                decision = self._decide(row, article.article_id)
                self.story[row] = decision.story_id
                decisions.append(decision)
        finally:
            for article in articles:
                self._stash[article.article_id] = self._take(article.article_id)
            for article_id, story, member in set_aside:
                self._add(article_id, member, story)
        return decisions

    def _decide(self, row: int, article_id: int) -> StoryDecision:
        """Best earlier member for the article in ``row``: a duplicate first, else coverage."""
        window = float(self.settings.story_window_s)
        gap = np.abs(self.times - self.times[row])
        earlier = self.active & (self.order < self.order[row])
        in_window = earlier & (gap <= window)
        duplicate = self._duplicate(row, in_window)
        if duplicate is not None:
            member, score = duplicate
            return StoryDecision(
                article_id, int(self.story[member]), False, "duplicate", int(self.article[member]), score
            )
        coverage = self._coverage(row, in_window, _time_factor(gap, window))
        if coverage is not None:
            member, score = coverage
            return StoryDecision(
                article_id, int(self.story[member]), False, "coverage", int(self.article[member]), score
            )
        return StoryDecision(article_id, article_id, True, "new")

    def _duplicate(self, row: int, in_window: np.ndarray) -> tuple[int, float] | None:
        if not self.has_minhash[row] or not in_window.any():
            return None
        jaccard = (self.minhash == self.minhash[row]).mean(axis=1)
        smaller = np.minimum(self.shingles, self.shingles[row])
        with np.errstate(divide="ignore", invalid="ignore"):
            containment = jaccard * (self.shingles + self.shingles[row]) / ((1 + jaccard) * smaller)
        contained = (
            (containment >= self.settings.duplicate_containment)
            & (smaller >= MIN_SHINGLES_FOR_CONTAINMENT)
            & (jaccard >= MIN_MATCHING_FRACTION)
        )
        is_duplicate = (
            ((jaccard >= self.settings.duplicate_jaccard) | contained) & in_window & self.has_minhash
        )
        candidates = np.flatnonzero(is_duplicate)
        # the most similar first; among equals, the earliest member
        for best in candidates[np.lexsort((self.order[candidates], -jaccard[candidates]))].tolist():
            if not self._figures_differ(row, best) and not self._other_actors(row, best):
                return best, float(1.0 + jaccard[best])
        return None

    def _figures_differ(self, a: int, b: int) -> bool:
        """A templated report with new figures ("Brent at $66.10" after "Brent at $65.30") is new news,
        unless it came within FOLLOW_UP_S: then it is the story's update ("revised to 2.29 million bpd")."""
        left, right = self._member_at(a).figures, self._member_at(b).figures
        if abs(self.times[a] - self.times[b]) < FOLLOW_UP_S:
            return False
        return bool(len(left)) and bool(len(right)) and not np.intersect1d(left, right).size

    def _other_actors(self, a: int, b: int) -> bool:
        """Leads that name different actors ("Bank of England" vs "Federal Reserve") are different stories,
        however alike the words: central banks, ministries and companies publish in templates."""
        left, right = self._member_at(a).leads, self._member_at(b).leads
        return bool(left) and bool(right) and left.isdisjoint(right)

    def _coverage(self, row: int, in_window: np.ndarray, closeness: np.ndarray) -> tuple[int, float] | None:
        limit = max(2.0, self.size * ANCHOR_MAX_SHARE)
        anchors = [key for key in self._member_at(row).anchorable.tolist() if self.df[key] <= limit]
        if not anchors:
            return None
        holders = np.fromiter((member for key in anchors for member in self._holders[key]), dtype=np.int64)
        shared = np.bincount(holders, minlength=len(self.active))
        eligible = (shared >= self.settings.story_min_shared) & in_window
        if self.source[row] >= 0:  # one outlet's follow-ups are not independent coverage
            eligible &= self.source != self.source[row]
        actors = self._member_at(row).leads
        if actors:  # leads that name other actors are other stories (``_other_actors``)
            alike = np.zeros(len(self.active), dtype=bool)
            alike[
                np.fromiter((m for actor in actors for m in self._leads.get(actor, ())), dtype=np.int64)
            ] = True
            eligible &= alike | ~self.has_keys
        members = np.flatnonzero(eligible)
        # the most anchors shared, then the latest: past those a match is ever less likely
        order = np.lexsort((-self.order[members], -shared[members]))
        kept = members[order[:MAX_COVERAGE_CANDIDATES]].tolist()
        if not kept:
            return None
        scores = self._cosines(row, kept) * closeness[kept]
        best = int(np.argmax(scores))
        if scores[best] < self.settings.story_similarity:
            return None
        return kept[best], float(scores[best])

    def _cosines(self, row: int, members: list[int]) -> np.ndarray:
        """TF-IDF cosines of one article with each of ``members``, with the document frequencies of now
        (sublinear term frequency: ten mentions are not ten times the evidence)."""
        result = np.zeros(len(members))
        own_member = self._member_at(row)
        own_keys = own_member.keys
        own = own_member.tf * self._idf(own_keys)
        own_norm = math.sqrt(float(own @ own))
        rows = [self._member_at(m) for m in members]
        sizes = np.array([len(member.keys) for member in rows], dtype=np.int64)
        filled = np.flatnonzero(sizes)
        if own_norm == 0.0 or not len(filled):
            return result
        chosen = [rows[i] for i in filled.tolist()]
        keys = np.concatenate([member.keys for member in chosen])
        weights = np.concatenate([member.tf for member in chosen]) * self._idf(keys)
        starts = np.concatenate([[0], np.cumsum(sizes[filled])[:-1]])
        self._dense[own_keys] = own
        try:
            dots = np.add.reduceat(weights * self._dense[keys], starts)
        finally:
            self._dense[own_keys] = 0.0
        norms = np.sqrt(np.add.reduceat(weights * weights, starts))
        with np.errstate(divide="ignore", invalid="ignore"):
            result[filled] = np.where(norms > 0, dots / (norms * own_norm), 0.0)
        return result

    def _idf(self, keys: np.ndarray) -> np.ndarray:
        idf = np.log((self.size + 1) / (self.df[keys] + 0.5))
        return np.where(idf > 0, idf, 0.0)


def _time_factor(gap_s: np.ndarray, window_s: float) -> np.ndarray:
    """1 for articles within half the window of each other, falling linearly to 0.5 at the window's edge."""
    half = window_s / 2
    return 1.0 - 0.5 * np.clip((gap_s - half) / half, 0.0, 1.0)
