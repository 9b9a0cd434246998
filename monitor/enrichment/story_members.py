"""What the story pool keeps of each recent article, and the indexes its decisions read.

Rows of numpy arrays (time, source, MinHash, story) and, per row, the article's feature ids and term
frequencies, with the document frequencies and the entity/figure and lead-actor indexes kept up to date as
articles come and go. ``stories.StoryPool`` decides on them; nothing here decides anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from monitor.enrichment.signature import StorySignature

if TYPE_CHECKING:
    import numpy as np
else:  # loaded with the first member: see signature.numpy_on_first_use
    from monitor.enrichment.signature import numpy_on_first_use as np


@dataclass(frozen=True)
class Member:
    """What the pool keeps of one article's signature: a few arrays, not the signature (two days of those
    held 20 KB an article)."""

    keys: np.ndarray  # feature ids
    tf: np.ndarray  # sublinear term frequencies (1 + log weight): ten mentions are not ten times the evidence
    anchorable: np.ndarray  # ids of its entity and figure features
    figures: np.ndarray  # ids of its figure features
    leads: frozenset[str]  # the actors its lead names
    at: float
    source: int  # -1: unknown
    shingles: int
    minhash: np.ndarray


class MemberRows:
    """The recent articles as rows: ``_add`` and ``_remove`` one at a time, each in time proportional to
    the article's own features."""

    def __init__(self) -> None:
        self.slot_of: dict[int, int] = {}  # article id -> row
        self._free: list[int] = []
        self._members: list[Member | None] = []
        self._vocabulary: dict[str, int] = {}
        self._kind: list[str] = []  # per feature id: "e", "f" or "t"
        self._holders: defaultdict[int, list[int]] = defaultdict(list)  # entity/figure id -> rows holding it
        self._leads: defaultdict[str, list[int]] = defaultdict(list)  # a lead's actor -> rows naming it
        self._sequence = 0
        self._allocated = False  # the arrays come with the first member: ``_allocate``

    def _allocate(self) -> None:
        """The empty arrays, made when the first article comes, not with the pool: the daemon makes its
        pool at start, and a poll with nothing new files no story, so it need not load numpy."""
        self.df = np.zeros(0, dtype=np.int64)
        capacity = 0
        self.active = np.zeros(capacity, dtype=bool)
        self.story = np.zeros(capacity, dtype=np.int64)
        self.article = np.zeros(capacity, dtype=np.int64)
        self.order = np.zeros(capacity, dtype=np.int64)  # when filled: earlier members decide first
        self.times = np.zeros(capacity, dtype=np.float64)
        self.source = np.zeros(capacity, dtype=np.int64)  # -1: unknown
        self.shingles = np.zeros(capacity, dtype=np.float64)
        self.has_minhash = np.zeros(capacity, dtype=bool)
        self.has_keys = np.zeros(capacity, dtype=bool)
        self.minhash = np.zeros((capacity, 0), dtype=np.uint64)
        self._dense = np.zeros(0, dtype=np.float64)  # the new article's weights, by feature id (kept zeroed)
        self._allocated = True

    @property
    def size(self) -> int:
        return len(self.slot_of)

    def __contains__(self, article_id: int) -> bool:
        return article_id in self.slot_of

    def _member(self, signature: StorySignature) -> Member:
        if not self._allocated:  # every member is made here first: see ``_allocate``
            self._allocate()
        features = signature.features
        keys = np.fromiter((self._feature_id(k) for k in features), dtype=np.int32, count=len(features))
        weights = np.fromiter(features.values(), dtype=np.float64, count=len(features))
        kinds = [self._kind[k] for k in keys.tolist()]
        return Member(
            keys=keys,
            tf=1.0 + np.log(weights),
            anchorable=keys[[kind != "t" for kind in kinds]],
            figures=np.sort(keys[[kind == "f" for kind in kinds]]),
            leads=signature.keys,
            at=signature.at.timestamp(),
            source=-1 if signature.source is None else signature.source,
            shingles=signature.shingles,
            minhash=signature.minhash_array,
        )

    def _add(self, article_id: int, member: Member, story_id: int | None) -> None:
        self._remove(article_id)
        row = self._free.pop() if self._free else self._grow()
        self.slot_of[article_id] = row
        self._members[row] = member
        np.add.at(self.df, member.keys, 1)
        for key in member.anchorable.tolist():
            self._holders[key].append(row)
        for actor in member.leads:
            self._leads[actor].append(row)
        self._sequence += 1
        self.active[row] = True
        self.story[row] = -1 if story_id is None else story_id
        self.article[row] = article_id
        self.order[row] = self._sequence
        self.times[row] = member.at
        self.source[row] = member.source
        self.shingles[row] = member.shingles
        self.has_keys[row] = bool(member.leads)
        hashes = member.minhash
        self.has_minhash[row] = len(hashes) > 0
        if len(hashes) > self.minhash.shape[1]:
            wider = np.zeros((self.minhash.shape[0], len(hashes)), dtype=np.uint64)
            wider[:, : self.minhash.shape[1]] = self.minhash
            self.minhash = wider
        self.minhash[row] = 0
        self.minhash[row, : len(hashes)] = hashes

    def _take(self, article_id: int) -> Member:
        member = self._remove(article_id)
        assert member is not None, f"article {article_id} is not in the pool"
        return member

    def _remove(self, article_id: int) -> Member | None:
        row = self.slot_of.pop(article_id, None)
        if row is None:
            return None
        member = self._members[row]
        assert member is not None, "an occupied row has a member"
        np.subtract.at(self.df, member.keys, 1)
        for key in member.anchorable.tolist():
            _forget(self._holders, key, row)
        for actor in member.leads:
            _forget(self._leads, actor, row)
        self._members[row] = None
        self.active[row] = False
        self.has_minhash[row] = False
        self._free.append(row)
        return member

    def _feature_id(self, key: str) -> int:
        found = self._vocabulary.get(key)
        if found is None:
            found = self._vocabulary[key] = len(self._vocabulary)
            self._kind.append(key[0])
            if found >= len(self.df):
                self.df = np.concatenate([self.df, np.zeros(max(1024, len(self.df)), dtype=np.int64)])
                self._dense = np.zeros(len(self.df), dtype=np.float64)
        return found

    def _grow(self) -> int:
        row = len(self._members)
        self._members.append(None)
        if row >= len(self.active):
            extra = max(256, len(self.active))
            names = (
                "active",
                "story",
                "article",
                "order",
                "times",
                "source",
                "shingles",
                "has_minhash",
                "has_keys",
            )
            for name in names:
                array = getattr(self, name)
                setattr(self, name, np.concatenate([array, np.zeros(extra, dtype=array.dtype)]))
            self.minhash = np.vstack(
                [self.minhash, np.zeros((extra, self.minhash.shape[1]), dtype=np.uint64)]
            )
        return row

    def _member_at(self, row: int) -> Member:
        member = self._members[row]
        assert member is not None, "a free row has no member"
        return member


def _forget(index: defaultdict[Any, list[int]], key: Any, row: int) -> None:
    rows = index[key]
    rows.remove(row)  # lists, not sets: most names are held by one or two rows, and a set weighs 200 bytes
    if not rows:
        del index[key]
