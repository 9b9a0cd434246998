"""What predicates see while they run: the article's field texts (computed once) and the other selections.

``ArticleView`` is shared by every rule evaluated against one article; ``EvalContext`` is one rule's
scratch space on top of it. It memoises selection results, so a later predicate kind that refers to
another selection (``same_sentence_as: action``) can ask for that selection's hits without evaluating it
twice. Nothing here does I/O or reads a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor.domain import Article, Enrichment, Span

if TYPE_CHECKING:
    from monitor.rules.compiled import Selection


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: what was looked for (``kind`` + ``pattern``), where it was found, any groups."""

    kind: str  # "phrase", "regex", ... (a predicate kind's word for its evidence)
    pattern: str  # the phrase or regex as the rule wrote it
    span: Span
    groups: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        where = f"in {self.span.field} at {self.span.start}–{self.span.end}"
        pattern = _shorten(self.pattern)
        if " ".join(self.span.text.split()).casefold() == self.pattern.casefold():
            return f"{self.kind} '{pattern}' {where}"
        return f"{self.kind} '{pattern}' matched '{self.span.text}' {where}"


MAX_PATTERN_CHARS = 48
"""Longer patterns are cut in explanations: the matched text says more than a 200-character regex."""


def _shorten(pattern: str) -> str:
    return pattern if len(pattern) <= MAX_PATTERN_CHARS else pattern[: MAX_PATTERN_CHARS - 1] + "…"


@dataclass(frozen=True)
class PredicateResult:
    """Whether one predicate held, its evidence, and a short human note when there is no evidence to cite."""

    held: bool
    hits: tuple[Hit, ...] = ()
    total_hits: int = 0  # hits may be capped; this is how many there were
    note: str = ""  # said instead of evidence, e.g. "none of 'lift', 'ease'"
    cite_each: bool = False  # every hit is evidence (``all``), not just the first of many (``phrases``)

    def describe(self) -> str:
        if not self.hits:
            return self.note
        if self.cite_each:
            return "; ".join(hit.describe() for hit in self.hits)
        more = self.total_hits - 1
        first = self.hits[0].describe()
        return f"{first} (+{more} more)" if more > 0 else first


@dataclass(frozen=True)
class SelectionResult:
    name: str
    held: bool
    predicates: tuple[PredicateResult, ...] = ()

    @property
    def hits(self) -> tuple[Hit, ...]:
        return tuple(hit for result in self.predicates for hit in result.hits)

    def describe(self) -> str:
        if not self.held:
            return f"selection '{self.name}' did not hold"
        evidence = "; ".join(text for text in (p.describe() for p in self.predicates) if text)
        return f"selection '{self.name}' held: {evidence}" if evidence else f"selection '{self.name}' held"


class ArticleView:
    """An article plus its enrichment, with each rule-addressable field's text computed at most once."""

    def __init__(self, article: Article, enrichment: Enrichment | None = None) -> None:
        self.article = article
        self.enrichment = enrichment
        self._texts: dict[str, str] = {}

    def text(self, field_name: str) -> str:
        cached = self._texts.get(field_name)
        if cached is None:
            cached = self._texts[field_name] = self.article.field_text(field_name)
        return cached


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
