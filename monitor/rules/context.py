"""What predicates report, and one rule's scratch space while it runs.

``Hit``, ``PredicateResult`` and ``SelectionResult`` carry evidence and say it in words. ``EvalContext`` sits
on the article's shared ``ArticleView`` (``view.py``) and memoises selection results, so a selection that
refers to another (``same_sentence_as: action``) never evaluates it twice. Nothing here does I/O or reads a
clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from monitor.domain import Enrichment, Span
from monitor.rules.view import ArticleView

if TYPE_CHECKING:
    from monitor.rules.compiled import Selection
    from monitor.rules.text import Layout

MAX_PATTERN_CHARS = 48
"""Longer patterns are cut in explanations: the matched text says more than a 200-character regex."""

MAX_CITED_HITS = 20
"""Evidence kept on a match per predicate; explanations still count them all."""
DESCRIBES = ", describes a noun)"
"""How a hit's ``detail`` ends when its name only describes a noun ("RSF commander"): it stands in for
the party only while no other name does."""


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: what was looked for (``kind`` + ``pattern``), where it was found, what it means.

    ``term`` is what a selection captures from the hit instead of its text (an entity's canonical name);
    ``groups`` holds a regex's named groups, or a quantity's ``value`` and ``unit``.
    """

    kind: str  # "phrase", "regex", "entity", "quantity", ...
    pattern: str  # the phrase, regex or filter as the rule wrote it
    span: Span
    groups: Mapping[str, Any] = field(default_factory=dict)
    term: str | None = None
    detail: str = ""  # extra words for the explanation: "(companies: Rosneft)"
    count: tuple[int, Mapping[str, float]] | None = None  # a counted argument: its sentence and its own count

    def describe(self) -> str:
        where = f"in {self.span.field} at {self.span.start}–{self.span.end}"
        pattern = shorten(self.pattern)
        detail = f" {self.detail}" if self.detail else ""
        if " ".join(self.span.text.split()).casefold() == self.pattern.casefold():
            return f"{self.kind} '{pattern}'{detail} {where}"
        return f"{self.kind} '{pattern}' matched '{self.span.text}'{detail} {where}"


def tally_counts(hits: Sequence[Hit]) -> list[Hit]:
    """Every count hit carries the whole tally of ``hits`` in ``groups["counts"]``, so the capture is
    complete whichever hit comes first, and counts only what a selection kept (not a count in a sentence
    its stance set aside: "an earlier version said 14 individuals").

    Counts add up within a sentence ("14 people and six firms") and not across sentences: a title and
    the lead that repeat "23 companies" are one count of 23, the larger figure wins.
    """
    per_sentence: dict[int, dict[str, float]] = {}
    for hit in hits:
        if hit.count is not None:
            tally = per_sentence.setdefault(hit.count[0], {})
            for name, value in hit.count[1].items():
                tally[name] = tally.get(name, 0) + value
    if not per_sentence:
        return list(hits)
    total: dict[str, float] = {}
    for tally in per_sentence.values():
        for name, value in tally.items():
            total[name] = max(total.get(name, 0), value)
    return [replace(h, groups={**h.groups, "counts": dict(total)}) if h.count else h for h in hits]


def shorten(pattern: str) -> str:
    return pattern if len(pattern) <= MAX_PATTERN_CHARS else pattern[: MAX_PATTERN_CHARS - 1] + "…"


@dataclass(frozen=True)
class PredicateResult:
    """Whether one predicate held, its evidence, and a short human note when there is no evidence to cite."""

    held: bool
    hits: tuple[Hit, ...] = ()
    note: str = ""  # said instead of evidence, e.g. "none of 'lift', 'ease'"
    cite_each: bool = False  # every distinct pattern is evidence (``all``), not just the first hit

    def describe(self) -> str:
        if not self.hits:
            return self.note
        if self.cite_each:
            firsts = {hit.pattern: hit for hit in reversed(self.hits)}
            return "; ".join(hit.describe() for hit in sorted(firsts.values(), key=self.hits.index))
        more = len(self.hits) - 1
        first = self.hits[0].describe()
        return f"{first} (+{more} more)" if more > 0 else first


@dataclass(frozen=True)
class SelectionResult:
    name: str
    held: bool
    predicates: tuple[PredicateResult, ...] = ()
    note: str = ""  # why it did not hold, when a proximity test decided
    top: int | None = None  # capture only the N names with the most evidence (``top`` option)
    first: bool = False  # capture one name, not a list (``capture: first``)
    anywhere: bool = False  # the evidence comes from an ``anywhere: true`` selection (itself or its fallback)
    nearby: int = 0  # ... or from one whose evidence also counts N units (paragraphs) around its own

    def units(self, layout: Layout, paragraphs: bool, offsets: Iterable[int | None]) -> frozenset[int] | None:
        """The units (paragraphs, or sentences) this evidence counts in; None: every unit."""
        if self.anywhere:
            return None
        unit_at = layout.paragraph_at if paragraphs else layout.sentence_at
        own = frozenset(unit_at(offset) for offset in offsets if offset is not None)
        return layout.around(own, self.nearby, paragraphs) if self.nearby else own

    @property
    def hits(self) -> tuple[Hit, ...]:
        return tuple(hit for result in self.predicates for hit in result.hits)

    def describe(self) -> str:
        if not self.held:
            because = f": {self.note}" if self.note else ""
            return f"selection '{self.name}' did not hold{because}"
        evidence = "; ".join(text for text in (p.describe() for p in self.predicates) if text)
        return f"selection '{self.name}' held: {evidence}" if evidence else f"selection '{self.name}' held"


class EvalContext:
    """One rule's evaluation against one article: selection results are computed lazily, once."""

    def __init__(self, view: ArticleView, selections: Mapping[str, Selection]) -> None:
        self.view = view
        self._selections = selections
        self.results: dict[str, SelectionResult] = {}

    def text(self, field_name: str) -> str:
        return self.view.text(field_name)

    def selection(self, name: str) -> SelectionResult:
        result = self.results.get(name)
        if result is None:
            result = self.results[name] = self._selections[name].evaluate(self)
        return result

    def holds(self, name: str) -> bool:
        return self.selection(name).held


class _Located(Protocol):
    @property
    def start(self) -> int: ...


Item = TypeVar("Item", bound=_Located)


def enrichment_hits(
    ctx: EvalContext,
    fields: tuple[str, ...],
    items: Callable[[Enrichment], Iterable[Item]],
    accepts: Callable[[Item], bool],
    hit: Callable[[Item, str], Hit],
) -> PredicateResult:
    """The hits of an entity or quantity predicate: accepted items that start inside one of ``fields``."""
    enrichment = ctx.view.enrichment
    if enrichment is None:
        return PredicateResult(held=False, note="no enrichment for this article")
    ranges = [r for r in (ctx.view.field_range(name) for name in fields) if r is not None]
    text = ctx.view.text("text")
    hits = [
        hit(item, text)
        for item in items(enrichment)
        if accepts(item) and any(start <= item.start < end for start, end in ranges)
    ]
    return PredicateResult(held=bool(hits), hits=tuple(hits))
