"""Enrichment on demand: what one article must be enriched with for the rules that could match it.

NER over every word of every article is most of what the full product costs, yet rules read entities only
near their trigger words, and most articles hold none of those. So, per rule, at load time (``RuleNeeds``):

- a quantity predicate needs the figures (a regex pass: cheap, always done for story signatures anyway);
- an entity predicate that only accepts watch-listed names needs nothing more: the watch-list automaton
  finds those names in the whole text (cheap), exactly as the statistical pipeline's own component does;
- any other entity predicate needs NER — but only where its hits can count. A selection with a positive
  proximity constraint (``same_sentence_as``, ``within``) keeps only hits in a sentence where the anchor
  selection has a hit, and every hit of a phrase or regex predicate contains one of its literals. So the
  sentences holding an anchor's literals are the only ones NER must read (``entity_triggers``);
- an unanchored entity predicate, an anchor whose hits cannot be tied to literals, or an enrichment
  predicate this module does not know, needs NER over the whole text (``whole``): always correct.

Per article (``article_needs``), the prefilter says which rules are candidates; only their needs count, and
their trigger literals become the sentences (of ``text.py``'s layout, the one proximity uses) to enrich.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from monitor.domain import Enrichment, EnrichmentNeeds, Window
from monitor.rules import optimistic
from monitor.rules.compiled import Rule
from monitor.rules.entities import EntityFilter
from monitor.rules.phrases import AllPhrases, AnyPhrase, NoPhrase
from monitor.rules.predicates import needs_enrichment
from monitor.rules.prefilter import RuleIndex
from monitor.rules.quantities import QuantityFilter
from monitor.rules.regexes import AnyRegex
from monitor.rules.selection import Near, Selection
from monitor.rules.view import ArticleView


@dataclass(frozen=True)
class RuleNeeds:
    """What one rule needs from enrichment, whatever the article."""

    quantities: bool = False
    # NER around these literals: up to N words around each (``within``), or its whole sentence (None)
    entity_triggers: Mapping[str, int | None] = field(default_factory=dict)
    whole: bool = False  # NER over the whole text
    syntax_triggers: frozenset[str] = frozenset()  # parses of the sentences holding one of these
    syntax_whole: bool = False
    stand_in_labels: tuple[str, ...] | None = None  # see optimistic.py; None: the rule cannot be ruled out

    @property
    def nothing(self) -> bool:
        return not (
            self.quantities or self.entity_triggers or self.whole or self.syntax_triggers or self.syntax_whole
        )


NOTHING = RuleNeeds()


def rule_needs(rule: Rule) -> RuleNeeds:
    """Read a compiled rule's needs off its selections (see the module docstring)."""
    selections = rule.matcher.selections
    quantities = whole = False
    triggers: dict[str, int | None] = {}
    for selection in selections.values():
        for predicate in selection.predicates:
            if isinstance(predicate, QuantityFilter):
                quantities = True
            elif isinstance(predicate, EntityFilter):
                if predicate.watchlists is not None:
                    continue  # only listed names pass: the watch-list automaton finds them everywhere
                anchored = _anchor_literals(selection, selections)
                if anchored is None:
                    whole = True
                    continue
                literals, reach = anchored
                for literal in literals:
                    triggers[literal] = _wider(triggers.get(literal, 0), reach)
            elif getattr(predicate, "needs_syntax", False):
                # an argument's names are words of its trigger's own sentence
                sentence_of = _hit_literals(selection, selections)
                if sentence_of is None:
                    whole = True
                    continue
                for literal in sentence_of:
                    triggers[literal] = None
            elif needs_enrichment(predicate):
                whole = True  # an add-on predicate we cannot reason about: enrich everything
    return RuleNeeds(
        quantities=quantities,
        entity_triggers=triggers,
        whole=whole,
        syntax_triggers=rule.syntax_triggers if rule.needs_syntax else frozenset(),
        syntax_whole=rule.needs_syntax and not rule.syntax_triggers,
        stand_in_labels=optimistic.stand_in_labels(rule),
    )


def _anchor_literals(
    selection: Selection, selections: Mapping[str, Selection]
) -> tuple[frozenset[str], int | None] | None:
    """Literals one of which is near every hit ``selection`` can have, and how near in words (None: in the
    same sentence); None when that cannot be told."""
    for constraint in selection.constraints:
        if constraint.away:
            continue  # "not near X" keeps hits anywhere else
        found = [
            _hit_literals(selections[name], selections) for name in constraint.names if name in selections
        ]
        if found and all(literals is not None for literals in found):
            reach = max(d.words for d in constraint.distances) if isinstance(constraint, Near) else None
            return frozenset().union(*(literals for literals in found if literals is not None)), reach
    return None


def _wider(one: int | None, other: int | None) -> int | None:
    return None if one is None or other is None else max(one, other)


def _hit_literals(
    selection: Selection, selections: Mapping[str, Selection], seen: frozenset[str] = frozenset()
) -> frozenset[str] | None:
    """Literals one of which every hit of ``selection`` contains, or (for an ``argument``) one of which its
    sentence contains: the parse finds a trigger's arguments in the trigger's sentence. None when a
    predicate's hits can be anywhere (entities, figures, a regex without literals)."""
    found: set[str] = set()
    for predicate in selection.predicates:
        if getattr(predicate, "needs_syntax", False):
            triggers = [
                _hit_literals(selections[name], selections, seen | {selection.name})
                for name in getattr(predicate, "references", ())
                if name in selections and name not in seen
            ]
            if not triggers or any(t is None for t in triggers):
                return None
            found |= frozenset().union(*(t for t in triggers if t is not None))
            continue
        if isinstance(predicate, AnyPhrase):
            found |= frozenset().union(*(p.literals for p in predicate.search.phrases))
        elif isinstance(predicate, AllPhrases):
            found |= frozenset().union(*(p.literals for _, s, _ in predicate.searches for p in s.phrases))
        elif isinstance(predicate, AnyRegex) and predicate.required_literals:
            found |= predicate.required_literals
        elif not isinstance(predicate, NoPhrase):  # "none" never has hits
            return None
    return frozenset(found)


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
    wanted = [
        needs[i]
        for i in index.candidates(found)
        if not needs[i].nothing and (known is None or _may_need(rules[i], needs[i], view, known, max_chars))
    ]
    if not wanted:
        return EnrichmentNeeds()
    unmapped = view.all_lower is None  # lowercasing moved offsets: literal positions say nothing here
    if unmapped or any(n.whole for n in wanted):
        return EnrichmentNeeds(
            everything=True, quantities=True, syntax_windows=_syntax(view, wanted, unmapped)
        )
    entity: dict[str, int | None] = {}
    for rule in wanted:
        for literal, reach in rule.entity_triggers.items():
            entity[literal] = _wider(entity.get(literal, 0), reach)
    return EnrichmentNeeds(
        quantities=any(n.quantities for n in wanted),
        entity_windows=sentence_windows(view, entity, max_chars),
        syntax_windows=_syntax(view, wanted, unmapped),
    )


def _may_need(
    rule: Rule, needs: RuleNeeds, view: ArticleView, known: Enrichment, max_chars: int | None
) -> bool:
    """False when ``rule`` cannot hold whatever the model finds: its condition is already false, or it
    needs the model's entities only in windows and no entities there would make it hold."""
    if not optimistic.could_hold(rule, view, known):
        return False
    if needs.whole or needs.syntax_triggers or needs.syntax_whole or not needs.entity_triggers:
        return True
    labels = needs.stand_in_labels
    if labels is None or view.all_lower is None:
        return True
    windows = sentence_windows(view, needs.entity_triggers, max_chars)
    return optimistic.may_hold(rule, view, known, windows, labels)


def _syntax(view: ArticleView, wanted: Sequence[RuleNeeds], unmapped: bool) -> tuple[Window, ...]:
    syntax = frozenset().union(*(n.syntax_triggers for n in wanted))
    if any(n.syntax_whole for n in wanted) or (unmapped and syntax):
        return ((0, len(view.text("text"))),)
    return sentence_windows(view, dict.fromkeys(syntax))


ENTITY_WORDS = 5
PHRASE_WORDS = 6
"""Words a phrase may have before its most selective word (the literal the prefilter finds)."""
"""Words an entity name may have: a hit that ends within N words before a trigger may start this much
earlier."""


def sentence_windows(
    view: ArticleView, reaches: Mapping[str, int | None], max_chars: int | None = None
) -> tuple[Window, ...]:
    """Where the ``text`` field holds one of the literals of ``reaches``: its sentence, or the words within
    the literal's reach in it (plus ENTITY_WORDS before), merged where they touch."""
    positions = view.positions or {}
    text = view.text("text")
    limit = len(text) if max_chars is None else min(len(text), max_chars)
    layout = view.layout
    starts = layout.sentence_starts
    found: list[tuple[int, int]] = []
    for literal, reach in reaches.items():
        for position in positions.get(literal, ()):
            if position >= limit:
                continue
            index = layout.sentence_at(position)
            end = min(starts[index + 1] if index + 1 < len(starts) else len(text), limit)
            # a phrase's hit may start words before its literal ("been | sanctioned"), even in the sentence
            # before (text wrapped at line breaks): proximity counts from the hit's start
            hit_start = _words_back(text, position, PHRASE_WORDS, 0)
            start = starts[layout.sentence_at(hit_start)]
            if reach is not None:
                start = max(start, _words_back(text, hit_start, reach + ENTITY_WORDS, start))
                end = min(end, _words_on(text, position + len(literal), reach + 2, end))
            found.append((start, end))
    windows: list[list[int]] = []
    for start, end in sorted(found):
        if windows and windows[-1][1] >= start:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return tuple((start, end) for start, end in windows if end > start)


_WORD = re.compile(r"\w+(?:['’]\w+)*")  # as text.py counts words
_WORD_CHARS = 30  # characters looked at per word wanted: enough for news, and the sentence bounds it anyway


def _words_back(text: str, offset: int, count: int, floor: int) -> int:
    """Where the ``count``-th word before ``offset`` starts, not before ``floor``."""
    begin = max(floor, offset - count * _WORD_CHARS)
    words = [m.start() for m in _WORD.finditer(text, begin, offset)]
    if len(words) < count:
        return begin
    return words[-count]


def _words_on(text: str, offset: int, count: int, ceiling: int) -> int:
    """Where the ``count``-th word after ``offset`` ends, not after ``ceiling``."""
    words = [m.end() for m in _WORD.finditer(text, offset, min(ceiling, offset + count * _WORD_CHARS))]
    return words[count - 1] if len(words) >= count else min(ceiling, offset + count * _WORD_CHARS)
