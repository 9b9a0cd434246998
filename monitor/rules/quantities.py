"""The ``quantity`` predicate over ``Enrichment.quantities``: unit, thresholds, governing words, change.

    figure:
      quantity:
        unit: barrels_per_day          # one unit or a list (enrichment's canonical unit names)
        value: ">= 100000"             # >, >=, <, <=, ==, or "between 1e5 and 2e7" (optional)
        near: [export, shipment]       # at least one governing word (compared by stem: exports ~ export)
        not_near: [output, import]     # no such governing word
        changed_by: ">=5%"             # alert only when the figure moved this much since the last one

A quantity selection captures the figure's text under its own name, and ``value`` (a number, in ``unit``)
and ``unit``. ``changed_by`` needs memory, so the compiler lifts it out of the predicate into a rule-level
gate (``gates.ChangeGate``): the predicate itself stays pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from monitor.domain import Quantity, Span
from monitor.rules import lemmas
from monitor.rules.context import EvalContext, Hit, PredicateResult, enrichment_hits
from monitor.rules.numbers import Change, Comparison, parse_change, parse_comparison
from monitor.rules.predicates import PredicateKind, PredicateScope, register_predicate
from monitor.rules.schema import NonBlank, SelectionOptions, not_empty, one_or_many


def _checked(parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if isinstance(value, str):
            parse(value)  # raises ValueError with the message pydantic shows at the value's location
        return value

    return validate


Words = Annotated[tuple[NonBlank, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]


class QuantitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    unit: Words | None = None
    value: Annotated[str, AfterValidator(_checked(parse_comparison))] | None = None
    near: Words | None = None
    not_near: Words | None = None
    changed_by: Annotated[str, AfterValidator(_checked(parse_change))] | None = None
    # "nearest": only the nearest governing word counts, the nearest before the figure if there is one
    governed: Literal["any", "nearest"] = "any"


@dataclass(frozen=True)
class QuantityFilter:
    """Holds when a figure passes every test (unit, value, governing words) within the fields."""

    units: frozenset[str] | None
    comparison: Comparison | None
    near: frozenset[str] | None  # stems
    not_near: frozenset[str]  # stems
    fields: tuple[str, ...]
    label: str
    change: Change | None = None  # lifted into a gate by the compiler
    nearest_only: bool = False
    capture_names: frozenset[str] = frozenset({"value", "unit"})
    needs_enrichment: bool = True

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        if not self.nearest_only:
            return enrichment_hits(ctx, self.fields, lambda e: e.quantities, self._accepts, self._hit)
        layout = ctx.view.layout

        def accepts(quantity: Quantity) -> bool:
            start = layout.sentence_start(layout.sentence_at(quantity.start))
            before = layout.text[start : quantity.start].lower()
            chosen = next((w for w in quantity.governors if w.lower() in before), None)
            return self._accepts(quantity, (chosen,) if chosen else quantity.governors[:1])

        return enrichment_hits(ctx, self.fields, lambda e: e.quantities, accepts, self._hit)

    def _accepts(self, quantity: Quantity, written: tuple[str, ...] | None = None) -> bool:
        """``written``: the governing words that count (all of them unless ``governed: nearest``)."""
        if self.units is not None and quantity.unit not in self.units:
            return False
        if self.comparison is not None and not self.comparison.test(quantity.value):
            return False
        governors = {lemmas.stem(word) for word in (quantity.governors if written is None else written)}
        if self.near is not None and governors.isdisjoint(self.near):
            return False
        return governors.isdisjoint(self.not_near)

    def _hit(self, quantity: Quantity, text: str) -> Hit:
        written = text[quantity.start : quantity.end] if quantity.end <= len(text) else quantity.text
        governed = f", by {'/'.join(quantity.governors)}" if quantity.governors else ""
        return Hit(
            "quantity",
            self.label,
            Span("text", quantity.start, quantity.end, written),
            groups={"value": quantity.value, "unit": quantity.unit},
            term=written,
            detail=f"(= {quantity.value:g} {quantity.unit}{governed})",
        )


def _compile(spec: QuantitySpec, options: SelectionOptions, scope: PredicateScope) -> QuantityFilter:
    label = "/".join(spec.unit) if spec.unit else "any unit"
    if spec.value:
        label += f" {spec.value}"
    return QuantityFilter(
        units=frozenset(spec.unit) if spec.unit else None,
        comparison=parse_comparison(spec.value) if spec.value else None,
        near=frozenset(map(lemmas.stem, spec.near)) if spec.near else None,
        not_near=frozenset(map(lemmas.stem, spec.not_near or ())),
        fields=options.fields,
        label=label,
        change=parse_change(spec.changed_by) if spec.changed_by else None,
        nearest_only=spec.governed == "nearest",
    )


register_predicate(
    PredicateKind(
        "quantity",
        QuantitySpec,
        _compile,
        "a figure with this unit, value range and governing words",
        order=40,
    )
)
