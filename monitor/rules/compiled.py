"""Compiled rules: frozen, typed, ready to evaluate. What the loader produces and the evaluator reads.

A ``Rule`` keeps its metadata, where it was written (for messages), its examples, a ``matcher`` — the
type-specific, stateless part that decides whether the rule holds for one article — and its ``gates``, the
stateful part that decides whether a holding rule alerts (new term? changed state? enough articles in the
window? throttled?). No runtime state lives here: what a rule remembers belongs to a ``RuleMemory``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from monitor.domain import Span
from monitor.errors import SourceLocation
from monitor.rules import condition, literals, selection
from monitor.rules.condition import Predicate as ConditionTest
from monitor.rules.context import EvalContext
from monitor.rules.selection import Selection
from monitor.rules.view import ArticleView

if TYPE_CHECKING:
    from monitor.rules.gates import Gate


@dataclass(frozen=True)
class Outcome:
    """Why a rule held: captures (JSON-serialisable), the evidence spans, and human explanation lines."""

    captures: Mapping[str, Any]
    spans: tuple[Span, ...]
    explanation: tuple[str, ...]


class Matcher(Protocol):
    """The type-specific part of a rule: decides whether it holds for one article."""

    @property
    def selections(self) -> Mapping[str, Selection]: ...

    @property
    def capture_names(self) -> frozenset[str]: ...

    @property
    def requirements(self) -> tuple[frozenset[str], ...]:
        """Literal sets that must each have a member in the article for the rule to hold (maybe none)."""
        ...

    @property
    def checked_literals(self) -> frozenset[str]: ...

    @property
    def needs_enrichment(self) -> bool: ...

    def evaluate(self, view: ArticleView) -> Outcome | None: ...


@dataclass(frozen=True)
class SelectionMatcher:
    """``type: match``: named selections combined by a boolean condition."""

    selections: Mapping[str, Selection]
    condition: condition.Expr
    condition_text: str
    scope: str = "article"  # "paragraph" / "sentence": the condition must hold within one of them
    extra: tuple[str, ...] = ()  # ``captures:``: selections evaluated once the rule holds, for captures

    @functools.cached_property
    def holds(self) -> ConditionTest:
        return condition.compile_expr(self.condition)

    @functools.cached_property
    def positive(self) -> frozenset[str]:
        """Selections whose holding can make the condition true: the ones a match cites as evidence."""
        return condition.positive_names(self.condition)

    @property
    def capture_names(self) -> frozenset[str]:
        groups = frozenset().union(*(selection.capture_names for selection in self.selections.values()))
        return groups | frozenset(self.selections)

    @functools.cached_property
    def requirements(self) -> tuple[frozenset[str], ...]:
        return _requirements(self.condition, self.selections)

    @functools.cached_property
    def checked_literals(self) -> frozenset[str]:
        return frozenset().union(*(s.checked_literals for s in self.selections.values()))

    @property
    def needs_enrichment(self) -> bool:
        return any(s.needs_enrichment for s in self.selections.values())

    def run(self, view: ArticleView) -> EvalContext | None:
        """The rule's context when the condition holds (every supporting selection evaluated), else None."""
        ctx = EvalContext(view, self.selections)
        if self.scope == "article":
            if not self.holds(ctx.holds):
                return None
        else:  # a selection holding somewhere may not hold in a given unit; one holding nowhere, in none
            somewhere = condition.evaluate_unknown(
                self.condition, lambda name: None if ctx.holds(name) else False
            )
            if somewhere is False or not self.holds_in_one_unit(ctx):
                return None
        for name in (*self.positive, *self.extra):  # short-circuiting skipped these; their evidence counts
            ctx.selection(name)
        return ctx

    def holds_in_one_unit(self, ctx: EvalContext) -> bool:
        """Whether the condition holds with only the evidence of one paragraph (or sentence).

        A selection holds in a unit when it has evidence there; one whose evidence has no place in the
        text (``feed``, ``tags``, a ``none`` predicate), or whose evidence comes from a selection that says
        ``anywhere: true`` (itself or its ``otherwise``), holds in every unit; one that says ``nearby: N``,
        in the N units around its evidence too. So ``not relief`` only looks
        at the unit too: relief in another paragraph does not stop a match here.
        """
        layout = ctx.view.layout
        units: dict[str, frozenset[int] | None] = {}
        for used in condition.names(self.condition):
            result = ctx.selection(used.name)
            if not result.held:
                continue
            offsets = [ctx.view.text_offset(hit.span) for hit in result.hits]
            units[used.name] = result.units(layout, self.scope == "paragraph", offsets) or None
        candidates: set[int] = set().union(*(u for u in units.values() if u))
        return any(self.holds(_in_unit(units, unit)) for unit in sorted(candidates))

    def outcome(self, ctx: EvalContext) -> Outcome:
        evaluated = [ctx.results[name] for name in self.selections if name in ctx.results]
        cited = [
            result
            for result in evaluated
            if result.held and (result.name in self.positive or result.name in self.extra)
        ]
        explanation = [result.describe() for result in evaluated]
        explanation.append(f"condition: {self.condition_text}")
        return Outcome(selection.captures(cited), selection.spans(cited), tuple(explanation))

    def evaluate(self, view: ArticleView) -> Outcome | None:
        ctx = self.run(view)
        return None if ctx is None else self.outcome(ctx)


def _in_unit(units: Mapping[str, frozenset[int] | None], unit: int) -> Callable[[str], bool]:
    def held(name: str) -> bool:
        if name not in units:
            return False
        placed = units[name]
        return placed is None or unit in placed

    return held


def _requirements(expr: condition.Expr, selections: Mapping[str, Selection]) -> tuple[frozenset[str], ...]:
    """Literal sets that must each occur for ``expr`` to hold, read off the condition's shape.

    ``a and b`` needs what ``a`` needs and what ``b`` needs; ``a or b`` needs one literal of either's most
    selective set; ``not a`` needs nothing.
    """
    if isinstance(expr, condition.Name):
        return selections[expr.name].requirements
    if isinstance(expr, condition.Not):
        return ()
    parts = [_requirements(operand, selections) for operand in expr.operands]
    if isinstance(expr, condition.And):
        return tuple(dict.fromkeys(needed for part in parts for needed in part))
    either = literals.any_of([literals.best(part, minimum=1) for part in parts])
    return (either,) if either else ()


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
    expect: Mapping[str, Any] = field(default_factory=dict)
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
    gates: tuple[Gate, ...] = ()

    @property
    def needs_enrichment(self) -> bool:
        """True when the rule reads entities or quantities: without enrichment it can never hold."""
        return self.matcher.needs_enrichment

    @property
    def stateful(self) -> bool:
        return bool(self.gates)
