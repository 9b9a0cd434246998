"""Entity predicates over ``Enrichment.entities``: ``entity`` (labels), ``watchlist``, ``canonical``.

The three keys of one selection describe *one* entity: ``{entity: ORG, watchlist: companies}`` holds for an
ORG that is on the companies list, not for some ORG and some other listed name. They compile separately
(so each value gets its own located errors) and are then merged into one ``EntityFilter``.

An entity selection captures the distinct names it found — the watch list's canonical name when there is
one, the text otherwise — sorted, so a key built from them is the same whatever order an article uses.
Entity offsets are into ``Article.field_text("text")``; ``fields`` limits them to the part a field covers.
Without enrichment an entity predicate never holds (``newsmon rules test`` skips such examples).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator

from monitor.domain import EntitySpan, Span
from monitor.rules.context import EvalContext, Hit, PredicateResult, enrichment_hits
from monitor.rules.predicates import PredicateKind, PredicateScope, register_predicate
from monitor.rules.schema import NonBlank, SelectionOptions, not_empty, one_or_many

ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip
Label = Literal[
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
]  # fmt: skip
LabelList = Annotated[tuple[Label, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]
NameList = Annotated[tuple[NonBlank, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]


@dataclass(frozen=True)
class EntityFilter:
    """Holds when an entity passes every given test (label, watch list, canonical name) in the fields."""

    labels: frozenset[str] | None
    watchlists: frozenset[str] | None
    names: frozenset[str] | None  # casefolded canonical names (or texts, for unlisted entities)
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()
    needs_enrichment: bool = True
    merge_key: str = "entity"

    def merge(self, other: EntityFilter) -> EntityFilter:
        return replace(
            self,
            labels=other.labels if self.labels is None else self.labels,
            watchlists=other.watchlists if self.watchlists is None else self.watchlists,
            names=other.names if self.names is None else self.names,
        )

    @functools.cached_property
    def pattern(self) -> str:
        parts = ["|".join(sorted(self.labels)) if self.labels else "any"]
        if self.watchlists:
            parts.append(f"on {'/'.join(sorted(self.watchlists))}")
        if self.names:
            parts.append(f"named {'/'.join(sorted(self.names))}")
        return " ".join(parts)

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        return enrichment_hits(ctx, self.fields, lambda e: e.entities, self._accepts, self._hit)

    def _accepts(self, entity: EntitySpan) -> bool:
        if self.labels is not None and entity.label not in self.labels:
            return False
        if self.watchlists is not None and entity.watchlist not in self.watchlists:
            return False
        return self.names is None or (entity.canonical or entity.text).casefold() in self.names

    def _hit(self, entity: EntitySpan, text: str) -> Hit:
        written = text[entity.start : entity.end] if entity.end <= len(text) else entity.text
        name = entity.canonical or entity.text
        listed = f", {entity.watchlist}: {entity.canonical}" if entity.watchlist else ""
        return Hit(
            "entity",
            self.pattern,
            Span("text", entity.start, entity.end, written),
            term=name,
            detail=f"({entity.label}{listed})",
        )


def _compile_entity(value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope) -> EntityFilter:
    return EntityFilter(frozenset(value), None, None, options.fields)


def _compile_watchlist(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> EntityFilter:
    return EntityFilter(None, frozenset(value), None, options.fields)


def _compile_canonical(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> EntityFilter:
    return EntityFilter(None, None, frozenset(name.casefold() for name in value), options.fields)


register_predicate(
    PredicateKind(
        "entity",
        LabelList,
        _compile_entity,
        "an entity with one of these labels (ORG, PERSON, ...)",
        order=30,
    )
)
register_predicate(
    PredicateKind(
        "watchlist", NameList, _compile_watchlist, "an entity on one of these watch lists", order=31
    )
)
register_predicate(
    PredicateKind(
        "canonical", NameList, _compile_canonical, "an entity with one of these canonical names", order=32
    )
)
