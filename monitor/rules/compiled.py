"""Compiled rules: frozen, typed, ready to evaluate. What the loader produces and the evaluator reads.

A ``Rule`` keeps its metadata, where it was written (for messages), its examples, and a ``matcher`` — the
type-specific part. For ``type: match`` that is a ``SelectionMatcher`` (named selections + a condition);
later types (``state``, ``quantity``) bring their own matcher and reuse everything else. No runtime state
lives here: what a rule remembers between articles belongs to the database.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from monitor.domain import Span
from monitor.errors import SourceLocation
from monitor.rules import condition
from monitor.rules.context import ArticleView, EvalContext, SelectionResult
from monitor.rules.predicates import CompiledPredicate
from monitor.rules.schema import FIELD_NAMES


@dataclass(frozen=True)
class Outcome:
    """Why a rule held: captures (JSON-serialisable), the evidence spans, and human explanation lines."""

    captures: Mapping[str, Any]
    spans: tuple[Span, ...]
    explanation: tuple[str, ...]


class Matcher(Protocol):
    """The type-specific part of a rule: decides whether it holds for one article."""

    @property
    def capture_names(self) -> frozenset[str]: ...

    def evaluate(self, view: ArticleView) -> Outcome | None: ...


@dataclass(frozen=True)
class Selection:
    """A named group of predicates; it holds when all of them hold (checked in order, stopping early)."""

    name: str
    predicates: tuple[CompiledPredicate, ...]
    location: SourceLocation

    @property
    def capture_names(self) -> frozenset[str]:
        return frozenset().union(*(predicate.capture_names for predicate in self.predicates))

    def evaluate(self, ctx: EvalContext) -> SelectionResult:
        results = []
        for predicate in self.predicates:
            result = predicate.evaluate(ctx)
            results.append(result)
            if not result.held:
                return SelectionResult(self.name, False, tuple(results))
        return SelectionResult(self.name, True, tuple(results))


@dataclass(frozen=True)
class SelectionMatcher:
    """``type: match``: named selections combined by a boolean condition."""

    selections: Mapping[str, Selection]
    condition: condition.Expr
    condition_text: str

    @functools.cached_property
    def positive(self) -> frozenset[str]:
        """Selections whose holding can make the condition true: the ones a match cites as evidence."""
        return condition.positive_names(self.condition)

    @property
    def capture_names(self) -> frozenset[str]:
        groups = frozenset().union(*(selection.capture_names for selection in self.selections.values()))
        return groups | frozenset(self.selections)

    def evaluate(self, view: ArticleView) -> Outcome | None:
        ctx = EvalContext(view, self.selections)
        if not condition.evaluate(self.condition, ctx.holds):
            return None
        for name in self.positive:  # short-circuiting skipped these; their evidence and captures count
            ctx.selection(name)
        positive = self.positive
        evaluated = [ctx.results[name] for name in self.selections if name in ctx.results]
        cited = [result for result in evaluated if result.held and result.name in positive]
        explanation = [result.describe() for result in evaluated]
        explanation.append(f"condition: {self.condition_text}")
        return Outcome(_captures(cited), _spans(cited), tuple(explanation))


def _captures(cited: list[SelectionResult]) -> dict[str, Any]:
    """``matched`` (every distinct matched text), each cited selection's first text, then named groups."""
    matched: dict[str, None] = {}
    captures: dict[str, Any] = {}
    groups: dict[str, str] = {}
    for result in cited:
        hits = result.hits
        if hits:
            captures.setdefault(result.name, hits[0].span.text)
        for hit in hits:
            matched.setdefault(hit.span.text)
            for name, value in hit.groups.items():
                groups.setdefault(name, value)
    captures.update(groups)  # a named group is more precise than its selection's first text
    return {"matched": list(matched), **captures}


def _spans(cited: list[SelectionResult]) -> tuple[Span, ...]:
    unique = {hit.span: None for result in cited for hit in result.hits}
    return tuple(sorted(unique, key=lambda span: (_FIELD_ORDER.get(span.field, 99), span.start, span.end)))


_FIELD_ORDER = {name: index for index, name in enumerate(FIELD_NAMES)}


@dataclass(frozen=True)
class Example:
    """An embedded test case: the article to build, whether it must match, and what it must capture."""

    rule_id: str
    expected: str  # "match" or "no_match"
    number: int  # 1-based within its list, as a person counts
    location: SourceLocation
    title: str = ""
    summary: str = ""
    content: str = ""
    link: str | None = None
    feed: str = "example"
    tags: tuple[str, ...] = ()
    expect: Mapping[str, str | list[str]] = field(default_factory=dict)
    key: str | None = None

    def label(self) -> str:
        return f"{self.expected} example {self.number}"


@dataclass(frozen=True)
class Rule:
    """One compiled rule. ``key`` is the template as written; the evaluator renders it per match."""

    id: str
    title: str
    type: str
    matcher: Matcher
    location: SourceLocation
    description: str = ""
    severity: str = "medium"
    tags: tuple[str, ...] = ()
    status: str = "stable"
    owner: str | None = None
    notify: tuple[str, ...] = ()
    key: str = ""
    version: int = 1
    examples: tuple[Example, ...] = ()
