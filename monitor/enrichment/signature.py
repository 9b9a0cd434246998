"""A story signature: what story grouping needs to know about one article, small enough to store with it.

Two parts, for the two ways articles belong to the same story (see stories.py):

* ``minhash``: a MinHash of the article's word 2-shingles (pairs of consecutive words), for near-duplicates
  (the same text re-published, trimmed or re-worded with synonyms); ``shingles`` is how many distinct
  shingles it had, so the overlap of a short text with a longer one (containment) can be estimated, not
  only the Jaccard similarity.
* ``entities``, ``figures`` and ``terms``: weighted features for independent coverage of the same events —
  canonical entity keys, normalised figures ("barrels_per_day:2.33e+06") and content-word stems. Words in
  the lead (the title and the first sentences) count double, because that is where news says what happened.

The signature is serialised as JSON into ``Enrichment.story_fingerprint``. Its MinHash uses fixed hash
parameters derived from a constant, so signatures written by one process compare with those of any other.

numpy is imported when the first signature is built or compared (``numpy_on_first_use``), not with this
module: the pipeline imports the story code at start, and a poll with nothing new (or with enrichment off)
builds no signature and files no story, so it need not pay numpy's import (~0.1 s of CPU).
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import json
import re
import sys
import types
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from monitor.domain import EntitySpan, Quantity
from monitor.enrichment.names import lower_same_length

if TYPE_CHECKING:
    import numpy as np


class _ModuleOnFirstUse(types.ModuleType):
    """A stand-in for a module that imports it at the first attribute read, then keeps what it read (a
    second read costs what a module attribute costs: the MinHash and story code read numpy in loops)."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self.__name__), name)
        setattr(self, name, value)
        return value


numpy_on_first_use: Any = _ModuleOnFirstUse("numpy")
"""numpy for the story code (here, ``stories.py``, ``story_members.py``), loaded when first used. Each of
those modules binds it as ``np`` at run time while type checkers see numpy itself (``TYPE_CHECKING``)."""
if not TYPE_CHECKING:
    np = numpy_on_first_use

SIGNATURE_VERSION = 1
MINHASH_PERMUTATIONS = 64
SHINGLE_WORDS = 2  # word pairs: a synonym spin keeps ~40% of them, unrelated articles share < 5%
LEAD_SENTENCES = 3  # the title plus the first two sentences of the body, as field_text("text") lays them out
LEAD_WEIGHT = 2.0
MAX_TERMS = 100
STORY_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "EVENT", "NAME"})  # NAME: anchors.py

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# Words that say nothing about which story an article tells: English function words, and the words every
# news report uses. Kept here rather than borrowed from spaCy so that signatures are the same with or
# without the optional NLP extra installed.
STOP_WORDS = frozenset(
    """a about above across after afterwards again against all almost alone along already also although
    always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside
    besides between beyond both but by can cannot could did do does doing done down due during each
    either else elsewhere enough even ever every everyone everything everywhere except few for former
    formerly from further get gets getting give given go goes going gone got had has have having he hence
    her here hereafter hereby herein hers herself him himself his how however if in indeed into is it its
    itself just keep last latter latterly least less made make makes making many may me meanwhile might
    mine more moreover most mostly much must my myself namely neither never nevertheless next no nobody
    none noone nor not nothing now nowhere of off often on once one only onto or other others otherwise
    our ours ourselves out over own per perhaps please put quite rather really regarding same say says
    see seem seemed seeming seems several she should show since so some somehow someone something
    sometime sometimes somewhere still such take than that the their theirs them themselves then thence
    there thereafter thereby therefore therein thereupon these they this those though through throughout
    thus to together too toward towards under unless until up upon us used using various very via was we
    well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon
    wherever whether which while whither who whoever whole whom whose why will with within without would
    yet you your yours yourself yourselves
    said told according reported report reports reporting added asked noted statement news
    week weeks month months year years day days today yesterday tomorrow time times
    monday tuesday wednesday thursday friday saturday sunday""".split()  # noqa: SIM905 - a word table
)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash hash family as two columns (one row per hash function), derived from a hash of a
    constant so that it never changes; made at the first MinHash, not at import (numpy loads then).

    Multiply-shift hashing: h(x) = (a·x + b) mod 2^64, top 32 bits, with ``a`` odd — a universal family
    that needs no modulo, which is most of the cost of the textbook (a·x + b) mod p.
    """
    a, b = [], []
    for slot in range(MINHASH_PERMUTATIONS):
        digest = hashlib.blake2b(f"newsmon story minhash {slot}".encode(), digest_size=16).digest()
        a.append(int.from_bytes(digest[:8], "little") | 1)
        b.append(int.from_bytes(digest[8:], "little"))
    return np.array(a, dtype=np.uint64)[:, None], np.array(b, dtype=np.uint64)[:, None]


# one encoder for every signature: json.dumps with options builds a new one per call
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StorySignature:
    """What story grouping compares; build it with ``build_signature``, store it with ``to_json``."""

    at: datetime  # when the article appeared: published_at, but never later than fetched_at
    source: int | None = None  # the feed: coverage must come from another source to count as independent
    minhash: tuple[int, ...] = ()  # empty when the text is shorter than one shingle
    shingles: int = 0
    entities: Mapping[str, float] = field(default_factory=dict)
    figures: Mapping[str, float] = field(default_factory=dict)
    terms: Mapping[str, float] = field(default_factory=dict)
    keys: frozenset[str] = frozenset()  # the entities named in the lead: who the story is about

    @cached_property
    def features(self) -> dict[str, float]:
        """Entities, figures and terms in one namespace ("e:", "f:", "t:"), as story grouping weighs them.

        Keys are interned: the story pool's vocabulary of thousands of articles shares their words."""
        features = {sys.intern(f"e:{k}"): w for k, w in self.entities.items()}
        features.update({sys.intern(f"f:{k}"): w for k, w in self.figures.items()})
        features.update({sys.intern(f"t:{k}"): w for k, w in self.terms.items()})
        return features

    @cached_property
    def feature_keys(self) -> tuple[str, ...]:
        return tuple(self.features)

    @cached_property
    def minhash_array(self) -> np.ndarray:
        return np.array(self.minhash, dtype=np.uint64)

    def to_json(self) -> str:
        return _JSON.encode(
            {
                "v": SIGNATURE_VERSION,
                "at": self.at.isoformat(),
                "src": self.source,
                "mh": list(self.minhash),
                "sh": self.shingles,
                "ent": dict(self.entities),
                "fig": dict(self.figures),
                "term": dict(self.terms),
                "key": sorted(self.keys),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> StorySignature:
        """Inverse of ``to_json``; raises ValueError for text that is not a signature of this version."""
        try:
            data = json.loads(text)
            if data.get("v") != SIGNATURE_VERSION:
                raise ValueError(f"story signature version {data.get('v')!r}, expected {SIGNATURE_VERSION}")
            return cls(
                at=datetime.fromisoformat(data["at"]),
                source=None if data.get("src") is None else int(data["src"]),
                minhash=tuple(int(v) for v in data["mh"]),
                shingles=int(data["sh"]),
                entities={str(k): float(v) for k, v in data["ent"].items()},
                figures={str(k): float(v) for k, v in data["fig"].items()},
                terms={str(k): float(v) for k, v in data["term"].items()},
                keys=frozenset(str(k) for k in data.get("key", ())),  # absent in signatures stored before
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a story signature: {exc}") from exc


def build_signature(
    text: str,
    at: datetime,
    sentence_starts: Sequence[int],
    entities: Sequence[EntitySpan],
    quantities: Sequence[Quantity],
    source: int | None = None,
) -> StorySignature:
    """The signature of one article's text (``Article.field_text("text")``) and what enrichment found in it.

    Words inside entity spans count as entities only, so a name does not weigh twice.
    """
    lead_end = sentence_starts[LEAD_SENTENCES] if len(sentence_starts) > LEAD_SENTENCES else len(text)
    lowered = lower_same_length(text)
    words = _WORD.findall(lowered)
    hashes, count = _minhash(words)
    return StorySignature(
        at=at,
        source=source,
        minhash=hashes,
        shingles=count,
        entities=_weights(
            (entity_key(e), e.start < lead_end) for e in entities if e.label in STORY_ENTITY_LABELS
        ),
        figures=_weights((figure_key(q), q.start < lead_end) for q in quantities if _is_distinctive(q)),
        terms=_terms(lowered, words, lead_end, entities),
        keys=frozenset(
            entity_key(e) for e in entities if e.label in STORY_ENTITY_LABELS and e.start < lead_end
        ),
    )


def _terms(lowered: str, words: list[str], lead_end: int, entities: Sequence[EntitySpan]) -> dict[str, float]:
    """Stemmed content words with their weights (lead words double), the MAX_TERMS heaviest.

    Words of named entities are taken out: a name counts as an entity only, not twice.
    """
    if len(_TERM_KEYS) > _MAX_CACHED_WORDS:
        _TERM_KEYS.clear()
    # Only words with a term key can weigh; dropping the others first (stop words, numbers, short words:
    # half of a text) halves the counting. The key ("" for no term) doubles as the filter.
    is_term = _TERM_KEYS.__getitem__
    lead = Counter(filter(is_term, _WORD.findall(lowered, 0, lead_end)))
    body = Counter(filter(is_term, words))
    body.subtract(lead)
    for entity in entities:
        if entity.label in STORY_ENTITY_LABELS:
            (lead if entity.start < lead_end else body).subtract(
                filter(is_term, _WORD.findall(lowered, entity.start, entity.end))
            )
    weights: dict[str, float] = {}
    for counts, weight in ((lead, LEAD_WEIGHT), (body, 1.0)):
        for word, count in counts.items():
            if count > 0:
                key = _TERM_KEYS[word]
                weights[key] = weights.get(key, 0.0) + weight * count
    # sorting the keys, not the items, saves a tuple per key; the sort is stable, so ties keep text order
    heaviest = sorted(weights, key=weights.__getitem__, reverse=True)[:MAX_TERMS]
    return {key: weights[key] for key in heaviest}


class _TermKeys(dict[str, str]):
    """The term key of each word seen, remembered: the stem of a content word, "" for any other word."""

    def __missing__(self, word: str) -> str:
        key = self[word] = stem(word) if len(word) > 2 and word not in STOP_WORDS and word.isalpha() else ""
        return key


_TERM_KEYS = _TermKeys()


def entity_key(entity: EntitySpan) -> str:
    """How an entity is compared across articles: its watch-list canonical name, else normalised text.

    People are keyed by surname ("Sergei Lavrov", "Sergey Lavrov" and "Lavrov" are one key), organisations
    and places by their whole name without "the", dots and a possessive ("the U.S.'s" → "us").
    """
    if entity.canonical:
        return entity.canonical.lower()
    name = _POSSESSIVE.sub("", " ".join(entity.text.split())).lower().replace(".", "")
    name = name.removeprefix("the ")
    if entity.label == "PERSON" and " " in name:
        return name.rsplit(" ", 1)[1]
    return name


def figure_key(quantity: Quantity) -> str:
    """A figure rounded to three significant digits, so "2.33 million bpd" and "2,330,000 b/d" agree."""
    return f"{quantity.unit}:{quantity.value:.3g}"


def _is_distinctive(quantity: Quantity) -> bool:
    # "30 per cent" or "5" appear in unrelated stories every day; "2.33 million bpd" or "$700m" do not
    if quantity.unit in ("percent", "percentage_points", "basis_points"):
        return False
    return quantity.unit != "count" or quantity.value >= 1000


def stem(word: str) -> str:
    """A light suffix stripper: "cancelled", "cancelling", "cancellation" and "canceled" → "cancel".

    Not a linguistic lemma: it only has to map the inflections news uses onto one key, the same way with
    or without the statistical model.
    """
    for suffix, replacement in (
        ("ations", ""),
        ("ation", ""),
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] in "lnprt":
        word = word[:-1]  # "cancell" → "cancel", "shipp" → "ship"
    return word


def _weights(items: Iterable[tuple[str, bool]]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for key, in_lead in items:
        weights[key] = weights.get(key, 0.0) + (LEAD_WEIGHT if in_lead else 1.0)
    return weights


class _WordHashes(dict[str, int]):
    """crc32 of each word, remembered: news repeats its vocabulary, and hashing is most of the MinHash cost."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode())
        return value


_WORD_HASHES = _WordHashes()
_MAX_CACHED_WORDS = 500_000
_BLOCK = 1024  # shingles per block: one block for a news article, bounded temporaries for a long text


def _minhash(words: Sequence[str]) -> tuple[tuple[int, ...], int]:
    """MinHash over word 2-shingles, and the number of distinct shingles."""
    if len(words) < SHINGLE_WORDS:
        return (), 0
    if len(_WORD_HASHES) > _MAX_CACHED_WORDS:
        _WORD_HASHES.clear()
    a_column, b_column = _permutations()
    token = np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))
    # combine two 32-bit word hashes into one 32-bit shingle hash (uint64 arithmetic wraps, on purpose)
    shingle = np.sort((token[:-1] * np.uint64(0x9E3779B1) + token[1:]) & np.uint64(0xFFFFFFFF))
    # the distinct shingles: what np.unique gives, several times faster on a few hundred values
    shingle = shingle[np.concatenate(([True], shingle[1:] != shingle[:-1]))]
    lowest = np.full(MINHASH_PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for block in range(0, len(shingle), _BLOCK):
        permuted = shingle[None, block : block + _BLOCK] * a_column  # one row per hash function
        permuted += b_column
        np.minimum(lowest, permuted.min(axis=1), out=lowest)
    # the top 32 bits of the smallest value are the smallest top 32 bits: shift 64 values, not all of them
    return tuple((lowest >> np.uint64(32)).tolist()), len(shingle)


def sentence_index(sentence_starts: Sequence[int], offset: int) -> int:
    """The index of the sentence that holds character ``offset``."""
    return max(bisect.bisect_right(sentence_starts, offset) - 1, 0)
