"""Selection predicates: a registry keyed by the name a rule writes (``phrases``, ``regex``, ``entity``, ...).

Each ``PredicateKind`` says what value it accepts (a pydantic type, so errors are located like any other),
and how to compile that value once, at load time, into a ``CompiledPredicate`` that evaluates cheaply
against an article. The built-ins (``phrases.py``, ``regexes.py``, ``entities.py``, ``quantities.py``)
register through the same door as an add-on would: write a module, call ``register_predicate``. The
selection schema is rebuilt from the registry, so the loader and the did-you-mean hints see new kinds.

A compiled predicate may also say which literals it needs (``required_literals``: one of them must occur
for it to hold) and which it asks about (``checked_literals``); the rule set's Aho-Corasick prefilter is
built from them. Predicates that say nothing are simply always evaluated.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, create_model

from monitor.domain import Span
from monitor.rules.context import EvalContext, PredicateResult
from monitor.rules.schema import SelectionOptions

RESERVED_CAPTURES = frozenset({"matched", "value", "unit", "state", "from", "to", "new_terms"})
"""Capture names the language itself fills; a regex group may not take them."""

RelPath = tuple[str | int, ...]


class CompiledPredicate(Protocol):
    """A predicate ready to run: pure, cheap, and safe to share between threads."""

    @property
    def capture_names(self) -> frozenset[str]: ...

    def evaluate(self, ctx: EvalContext) -> PredicateResult: ...


@dataclass(frozen=True)
class PredicateScope:
    """Where a predicate is compiled: lets it report located problems relative to its own value."""

    report: Callable[[RelPath, str, str | None, str], None]
    selection_names: frozenset[str]

    def error(self, path: RelPath, message: str, hint: str | None = None) -> None:
        self.report(path, message, hint, "error")

    def warning(self, path: RelPath, message: str, hint: str | None = None) -> None:
        self.report(path, message, hint, "warning")


@dataclass(frozen=True)
class PredicateKind:
    """One predicate a selection may use: its key, the value it takes, and how to compile that value."""

    name: str
    value_type: Any
    compile: Callable[[Any, SelectionOptions, PredicateScope], CompiledPredicate | None]
    summary: str
    order: int = 100  # where hints and docs list it: the built-ins first, in a reading order


_REGISTRY: dict[str, PredicateKind] = {}


def register_predicate(kind: PredicateKind) -> PredicateKind:
    """Make ``kind`` available to every rule loaded from now on."""
    if kind.name in _REGISTRY or kind.name in SelectionOptions.model_fields:
        raise ValueError(f"predicate '{kind.name}' is already defined")
    _REGISTRY[kind.name] = kind
    selection_model.cache_clear()
    return kind


def predicate_kinds() -> Mapping[str, PredicateKind]:
    """Every registered kind, by ``order`` and then in the order they were registered."""
    ranked = sorted(enumerate(_REGISTRY.values()), key=lambda item: (item[1].order, item[0]))
    return {kind.name: kind for _, kind in ranked}


@functools.cache
def selection_model() -> type[BaseModel]:
    """The pydantic model of one selection: the options plus every registered predicate, all optional."""
    fields: dict[str, Any] = {name: (kind.value_type | None, None) for name, kind in _REGISTRY.items()}
    return create_model("SelectionSpec", __base__=SelectionOptions, **fields)


def required_literals(predicate: object) -> frozenset[str] | None:
    """The literals one of which must occur for ``predicate`` to hold; None when it does not say."""
    literals: object = getattr(predicate, "required_literals", None)
    return literals if isinstance(literals, frozenset) and literals else None


def checked_literals(predicate: object) -> frozenset[str]:
    literals: object = getattr(predicate, "checked_literals", None)
    return literals if isinstance(literals, frozenset) else frozenset()


def needs_enrichment(predicate: object) -> bool:
    return bool(getattr(predicate, "needs_enrichment", False))


def span_of(field_name: str, found: re.Match[str], original: str) -> Span:
    """A span for a match found in ``original`` or in its same-length lowercase form."""
    return Span(field_name, found.start(), found.end(), original[found.start() : found.end()])
