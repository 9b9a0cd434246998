"""Could a rule hold if the model found names wherever it might? If not, the model need not read for it.

Enrichment on demand (needs.py) sends the sentences around an entity rule's trigger words to the model. Most
of those rules also ask for things that need no model — the right words nearby, no hypothetical or denial
in the sentence, a state word near the event — and often those alone rule the article out. This asks the
rule itself: it is evaluated with the enrichment known without the model (watch-listed names, figures)
plus a stand-in entity on every word of its windows, of each label its entity predicates want. If the rule
does not hold even so, no named entity the model could find there would make it hold, and it needs none.

Why a stand-in per word is enough: whatever an entity the model finds must satisfy — a word distance after
a trigger (measured from its start), before one (from its end), "not within" or "not in the same sentence"
— is also satisfied by the stand-in on its first word or the one on its last word, since each shares one
edge with the entity and lies inside it. Only predicates that accept entities by label (``entity:``) get
stand-ins; a predicate naming entities (``canonical:``) cannot be stood in for, so such a rule is never
ruled out this way.

Rules that read parses (``argument:``) cannot be stood in for that way; for them, and before any model
work, ``could_hold`` asks the condition alone: the selections known without the model (words, regexes,
watch-listed names, figures) take their values, the others are unknown, and a condition already false
("event and leaders and (politics or listed)" in an article with no political word and no listed name)
needs no model at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from monitor.domain import Enrichment, EntitySpan, Window
from monitor.rules import condition
from monitor.rules.compiled import Rule, SelectionMatcher
from monitor.rules.context import EvalContext
from monitor.rules.entities import EntityFilter
from monitor.rules.predicates import needs_enrichment
from monitor.rules.quantities import QuantityFilter
from monitor.rules.selection import Near, SameSentence, Selection
from monitor.rules.text import Layout
from monitor.rules.view import ArticleView

_WORD = re.compile(r"\w+")


def stand_in_labels(rule: Rule) -> tuple[str, ...] | None:
    """One label per entity predicate the model would serve; None when one of them cannot be stood in for."""
    labels: list[str] = []
    for selection in rule.matcher.selections.values():
        for predicate in selection.predicates:
            if not isinstance(predicate, EntityFilter) or predicate.watchlists is not None:
                continue  # watch-listed names are known without the model
            if predicate.names is not None:
                return None
            labels.append(min(predicate.labels) if predicate.labels else "ORG")
    return tuple(dict.fromkeys(labels))


def may_hold(
    rule: Rule, view: ArticleView, known: Enrichment, windows: Sequence[Window], labels: Sequence[str]
) -> bool:
    """Whether ``rule`` holds for the article of ``view`` with ``known`` plus a stand-in entity of each of
    ``labels`` on every word of ``windows`` (offsets into its ``text`` field)."""
    text = view.text("text")
    stand_ins = [
        EntitySpan(found.group(), label, found.start(), found.end(), 0)
        for start, end in windows
        for found in _WORD.finditer(text, start, end)
        for label in labels
    ]
    optimistic = replace(known, entities=(*known.entities, *stand_ins))
    return rule.matcher.evaluate(view.with_enrichment(optimistic)) is not None


def could_hold(rule: Rule, view: ArticleView, known: Enrichment) -> bool:
    """False when the rule's condition is false whatever the model would find (see the module docstring)."""
    units = possible_units(rule, view, known)
    if units is not None:
        return bool(units)
    matcher = _selection_matcher(rule)
    if matcher is None:
        return True
    ctx = EvalContext(view.with_enrichment(known), matcher.selections)
    free = known_without_model(matcher)

    def value(name: str) -> bool | None:
        return ctx.holds(name) if name in free else None

    return condition.evaluate_unknown(matcher.condition, value) is not False


def possible_units(rule: Rule, view: ArticleView, known: Enrichment) -> frozenset[int] | None:
    """The paragraphs (or sentences) of a ``scope: paragraph`` (``sentence``) rule in which its condition
    could hold whatever the model found there; None for a rule that is not read unit by unit.

    A selection known without the model holds in a unit when it has evidence there (or evidence with no
    place in the text); the others are unknown. A state rule (``type: state``) also needs a state word in
    the unit or within reach of it. The model's names and parses count only in these units (units.py), so
    the model need read nowhere else.
    """
    matcher = _selection_matcher(rule)
    if matcher is None or matcher.scope == "article":
        return None
    free = known_without_model(matcher)
    local = view.with_enrichment(known)
    ctx = EvalContext(local, matcher.selections)
    unit_at = local.layout.paragraph_at if matcher.scope == "paragraph" else local.layout.sentence_at
    placed: dict[str, frozenset[int] | None] = {}  # None: counts in every unit
    spots: dict[str, frozenset[int]] = {}  # where its evidence is, anywhere or not
    for name in free:
        result = ctx.selection(name)
        if not result.held:
            continue
        offsets = [local.text_offset(hit.span) for hit in result.hits]
        spots[name] = frozenset(unit_at(o) for o in offsets if o is not None)
        placed[name] = result.units(local.layout, matcher.scope == "paragraph", offsets) or None
    layout = local.layout
    count = len(layout.paragraph_starts if matcher.scope == "paragraph" else layout.sentence_starts)

    def in_unit(unit: int) -> Callable[[str], bool | None]:
        def value(name: str) -> bool | None:
            if name not in free:
                return None
            if name not in placed:
                return False
            where = placed[name]
            return where is None or unit in where

        return value

    units = frozenset(
        unit
        for unit in range(count)
        if condition.evaluate_unknown(matcher.condition, in_unit(unit)) is not False
    )
    if (spots_of := getattr(rule.matcher, "state_spots", None)) is not None:
        # a state rule alerts only with a state word near its evidence: in the unit, or within the reach of
        # a selection that may take evidence from the units around it (``nearby``). The headline stays
        # (the first unit): what its words say ("meets oil unions") vetoes the article, states or not.
        reach = max((selection.nearby for selection in matcher.selections.values()), default=0)
        stated = frozenset(unit_at(spot) for spot in spots_of(ctx))
        units &= layout.around(stated, reach, matcher.scope == "paragraph") | {0}
    if not units:
        return units
    return units | _far_evidence_units(matcher, free, spots, units, layout)


def _far_evidence_units(
    matcher: SelectionMatcher,
    free: frozenset[str],
    spots: Mapping[str, frozenset[int]],
    units: frozenset[int],
    layout: Layout,
) -> frozenset[int]:
    """The units outside ``units`` (where the condition could hold) in which a selection that reads the
    model itself (an entity or parse predicate) and says ``nearby: N`` may find evidence that counts in
    them: "the summit in one paragraph, the leaders by title in the next". Only those within N units of
    ``units`` where its first ``within`` / ``same_sentence_as`` anchor known without the model has
    evidence (``titles``): without such an anchor it adds none, so the model never reads a whole article
    for it. (``anywhere: true`` adds none either: its evidence is read where the condition holds.)"""
    found: set[int] = set()
    for selection in matcher.selections.values():
        if not selection.nearby or not selection.needs_enrichment:
            continue
        anchors = [
            constraint.names
            for constraint in selection.constraints
            if isinstance(constraint, SameSentence | Near)
            and not constraint.away
            and all(anchor in free for anchor in constraint.names)
        ]
        if not anchors:
            continue
        around = layout.around(units, selection.nearby, matcher.scope == "paragraph")
        for anchor in anchors[0]:  # the constraints are ANDed: the first one bounds the units
            found |= spots.get(anchor, frozenset()) & around
    return frozenset(found)


def scope_of(rule: Rule) -> str:
    """ "article", "paragraph" or "sentence": where the rule's condition must hold."""
    matcher = _selection_matcher(rule)
    return "article" if matcher is None else matcher.scope


def _selection_matcher(rule: Rule) -> SelectionMatcher | None:
    matcher = getattr(rule.matcher, "base", rule.matcher)  # a state rule's condition is its base's
    return matcher if isinstance(matcher, SelectionMatcher) else None


def reads_model(rule: Rule) -> bool:
    """Whether some selection of ``rule`` waits for the model's entities or parses."""
    matcher = _selection_matcher(rule)
    return matcher is not None and len(known_without_model(matcher)) < len(matcher.selections)


_FREE: dict[int, tuple[SelectionMatcher, frozenset[str]]] = {}  # per matcher (kept alive with its answer)


def known_without_model(matcher: SelectionMatcher) -> frozenset[str]:
    """``model_free`` of a matcher's selections, worked out once per matcher."""
    cached = _FREE.get(id(matcher))
    if cached is None or cached[0] is not matcher:
        cached = (matcher, model_free(matcher.selections))
        _FREE[id(matcher)] = cached
    return cached[1]


def model_free(selections: Mapping[str, Selection]) -> frozenset[str]:
    """Names of the selections whose value the enrichment known without the model decides: no predicate
    of theirs, and none of the selections they read, waits for the model's entities or parses."""
    free: dict[str, bool] = {}

    def known(name: str, seen: frozenset[str]) -> bool:
        if name in free:
            return free[name]
        if name in seen or name not in selections:
            return False
        selection = selections[name]
        result = all(_model_free(p) for p in selection.predicates) and all(
            known(other, seen | {name}) for other in selection.references
        )
        free[name] = result
        return result

    return frozenset(name for name in selections if known(name, frozenset()))


def _model_free(predicate: object) -> bool:
    if isinstance(predicate, EntityFilter):
        return predicate.watchlists is not None  # listed names are found without the model
    if isinstance(predicate, QuantityFilter):
        return True  # figures are found without the model
    return not needs_enrichment(predicate) and not getattr(predicate, "needs_syntax", False)
