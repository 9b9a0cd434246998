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
from collections.abc import Mapping, Sequence
from dataclasses import replace

from monitor.domain import Enrichment, EntitySpan, Window
from monitor.rules import condition
from monitor.rules.compiled import Rule, SelectionMatcher
from monitor.rules.context import EvalContext
from monitor.rules.entities import EntityFilter
from monitor.rules.predicates import needs_enrichment
from monitor.rules.quantities import QuantityFilter
from monitor.rules.selection import Selection
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
    matcher = getattr(rule.matcher, "base", rule.matcher)  # a state rule's condition is its base's
    if not isinstance(matcher, SelectionMatcher):
        return True
    free = _known_without_model(matcher.selections)
    ctx = EvalContext(view.with_enrichment(known), matcher.selections)
    per_unit = matcher.scope != "article"

    def value(name: str) -> bool | None:
        if name not in free:
            return None
        if ctx.holds(name):
            # per paragraph or sentence, holding somewhere in the article says nothing of one unit
            return None if per_unit else True
        return False  # nowhere in the article: in no unit either

    return condition.evaluate_unknown(matcher.condition, value) is not False


def _known_without_model(selections: Mapping[str, Selection]) -> frozenset[str]:
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
