"""Enrichment on demand: what one article must be enriched with for the rules that could match it.

NER over every word of every article is most of what the full product costs, yet rules read entities only
near their trigger words, and most articles hold none of those. So, per rule, at load time (``RuleNeeds``):

- a quantity predicate needs the figures (a regex pass: cheap, always done for story signatures anyway);
- an entity predicate that only accepts watch-listed names needs nothing more: the watch-list automaton
  finds those names in the whole text (cheap), exactly as the statistical pipeline's own component does;
- any other entity predicate needs NER — but only where its hits can count. A selection with a positive
  proximity constraint (``same_sentence_as``, ``within``, ``same_paragraph_as``) keeps only hits in a
  sentence (paragraph) where the anchor selection has a hit, so NER reads only around the anchor's hits
  (``entity_anchors``; anchor_windows.py finds them without the model: words, regexes, watch-listed names,
  figures, and for a parse predicate the sentence of its trigger);
- an unanchored entity predicate, an anchor whose hits cannot be placed without the model, or an
  enrichment predicate this module does not know, needs NER over the whole text (``whole``): always correct.

Per article (``article_needs``), the prefilter says which rules are candidates; only their needs count, and
the text around their anchors' hits (in ``text.py``'s sentences, the ones proximity uses) is enriched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from monitor.domain import Enrichment, EnrichmentNeeds, Window
from monitor.rules import anchor_windows, optimistic
from monitor.rules.anchor_windows import PARAGRAPH, Reach, placeable
from monitor.rules.compiled import Rule
from monitor.rules.context import EvalContext
from monitor.rules.entities import EntityFilter
from monitor.rules.predicates import needs_enrichment
from monitor.rules.prefilter import RuleIndex
from monitor.rules.quantities import QuantityFilter
from monitor.rules.selection import Near, SameSentence, Selection
from monitor.rules.units import clip, unit_windows
from monitor.rules.view import ArticleView


@dataclass(frozen=True)
class RuleNeeds:
    """What one rule needs from enrichment, whatever the article."""

    quantities: bool = False
    # NER around the hits of these selections: up to N words around each (``within``), its whole sentence
    # (None), or its whole paragraph (PARAGRAPH); see anchor_windows.py
    entity_anchors: Mapping[str, Reach] = field(default_factory=dict)
    whole: bool = False  # NER over the whole text
    syntax_anchors: frozenset[str] = frozenset()  # parses of the sentences of these selections' hits
    syntax_whole: bool = False
    stand_in_labels: tuple[str, ...] | None = None  # see optimistic.py; None: the rule cannot be ruled out
    free: frozenset[str] = frozenset()  # the selections known without the model (optimistic.py)

    @property
    def nothing(self) -> bool:
        return not (
            self.quantities or self.entity_anchors or self.whole or self.syntax_anchors or self.syntax_whole
        )


NOTHING = RuleNeeds()


def rule_needs(rule: Rule) -> RuleNeeds:
    """Read a compiled rule's needs off its selections (see the module docstring)."""
    selections = rule.matcher.selections
    free = optimistic.model_free(selections)
    quantities = whole = syntax_whole = False
    anchors: dict[str, Reach] = {}
    syntax: set[str] = set()
    for selection in selections.values():
        for predicate in selection.predicates:
            if isinstance(predicate, QuantityFilter):
                quantities = True
            elif isinstance(predicate, EntityFilter):
                if predicate.watchlists is not None:
                    continue  # only listed names pass: the watch-list automaton finds them everywhere
                anchored = _anchors(selection, selections, free)
                if anchored is None:
                    whole = True
                    continue
                names, reach = anchored
                for name in names:
                    anchors[name] = _wider(anchors.get(name, 0), reach)
            elif getattr(predicate, "needs_syntax", False):
                # an argument's names are words of its trigger's own sentence, which must be parsed
                triggers = getattr(predicate, "references", ())
                if not triggers or not all(placeable(name, selections, free) for name in triggers):
                    whole = syntax_whole = True
                    continue
                syntax.update(triggers)
                for name in triggers:
                    anchors[name] = _wider(anchors.get(name, 0), None)
            elif needs_enrichment(predicate):
                whole = True  # an add-on predicate we cannot reason about: enrich everything
    return RuleNeeds(
        quantities=quantities,
        entity_anchors=anchors,
        whole=whole,
        syntax_anchors=frozenset(syntax),
        syntax_whole=syntax_whole,
        stand_in_labels=optimistic.stand_in_labels(rule),
        free=free,
    )


def _anchors(
    selection: Selection, selections: Mapping[str, Selection], free: frozenset[str]
) -> tuple[tuple[str, ...], Reach] | None:
    """The selections one of whose hits is near every hit ``selection`` can have, and how near (a
    ``Reach``): those of its first proximity constraint whose hits can be placed; None when none can."""
    for constraint in selection.constraints:
        if constraint.away or (isinstance(constraint, SameSentence) and constraint.spill):
            continue  # "not near X" keeps hits anywhere else; a paragraph next to X's is not X's own
        names = tuple(name for name in constraint.names if name in selections)
        if not names or not all(placeable(name, selections, free) for name in names):
            continue
        reach: Reach = None
        if isinstance(constraint, Near):
            reach = max(d.words for d in constraint.distances)
        elif isinstance(constraint, SameSentence) and constraint.paragraph:
            reach = PARAGRAPH
        return names, reach
    return None


def _wider(one: Reach, other: Reach) -> Reach:
    if one == PARAGRAPH or other == PARAGRAPH:
        return PARAGRAPH
    return None if one is None or other is None else max(one, other)


def article_needs(
    view: ArticleView,
    index: RuleIndex,
    rules: Sequence[Rule],
    needs: Sequence[RuleNeeds],
    max_chars: int | None = None,
    known: Enrichment | None = None,
) -> EnrichmentNeeds:
    """The enrichment the candidate rules of the article in ``view`` need (``view`` has the prefilter).

    ``known``: what enrichment found without the model (watch-listed names, figures); with it, a rule that
    could not hold whatever names the model found in its windows needs none (optimistic.py).
    """
    found = view.found
    assert found is not None, "the view must be made with the rule set's prefilter"
    text = view.text("text")
    everything = quantities = False
    entity: list[Window] = []
    syntax: list[Window] = []
    local = view.with_enrichment(known)
    for i in index.candidates(found):
        rule, need = rules[i], needs[i]
        if need.nothing:
            continue
        units = None if known is None else optimistic.possible_units(rule, view, known)
        if units is not None and not units:
            continue  # its words already rule every paragraph out
        selections = rule.matcher.selections
        ctx = EvalContext(local, selections)
        windows = (
            None
            if need.whole
            else anchor_windows.windows(ctx, selections, need.entity_anchors, need.free, max_chars)
        )
        if known is not None and not _may_need(rule, need, view, known, windows, checked=units is not None):
            continue
        allowed = None if units is None else unit_windows(text, view.layout, optimistic.scope_of(rule), units)
        quantities = quantities or need.quantities
        if windows is not None:
            entity.extend(_within(windows, allowed))
        elif allowed is not None:
            entity.extend(allowed)
        else:
            everything = True
        if need.syntax_whole:
            syntax.extend(allowed if allowed is not None else [(0, len(text))])
        elif need.syntax_anchors:
            placed = anchor_windows.windows(ctx, selections, dict.fromkeys(need.syntax_anchors), need.free)
            syntax.extend(_within([(0, len(text))] if placed is None else placed, allowed))
    if everything:
        return EnrichmentNeeds(everything=True, quantities=True, syntax_windows=anchor_windows.merged(syntax))
    return EnrichmentNeeds(
        quantities=quantities,
        entity_windows=anchor_windows.merged(entity),
        syntax_windows=anchor_windows.merged(syntax),
    )


def _within(windows: Sequence[Window], allowed: Sequence[Window] | None) -> Sequence[Window]:
    return windows if allowed is None else clip(windows, allowed)


def _may_need(
    rule: Rule,
    needs: RuleNeeds,
    view: ArticleView,
    known: Enrichment,
    windows: Sequence[Window] | None,
    checked: bool = False,
) -> bool:
    """False when ``rule`` cannot hold whatever the model finds: its condition is already false, or it
    needs the model's entities only in ``windows`` and no entities there would make it hold. ``checked``:
    the condition was already found able to hold in some paragraph (``possible_units``)."""
    if not checked and not optimistic.could_hold(rule, view, known):
        return False
    if windows is None or needs.syntax_anchors or needs.syntax_whole or not needs.entity_anchors:
        return True
    labels = needs.stand_in_labels
    if labels is None:
        return True
    return optimistic.may_hold(rule, view, known, windows, labels)
