"""Enrichment on demand: what one article must be enriched with for the rules that could match it.

NER over every word of every article is most of what the full product costs, yet rules read entities only
near their trigger words, and most articles hold none of those. So, per rule, at load time (``RuleNeeds``):

- a quantity predicate needs the figures (a regex pass: cheap, always done for story signatures anyway);
- an entity predicate that only accepts watch-listed names needs nothing more: the watch-list automaton
  finds those names in the whole text (cheap), exactly as the statistical pipeline's own component does;
- any other entity predicate needs NER — but only where its hits can count. A selection with a positive
  proximity constraint (``same_sentence_as``, ``within``, ``same_paragraph_as``) keeps only hits in a
  sentence (paragraph) where the anchor selection has a hit, and every hit of a phrase or regex predicate
  contains one of its literals. So the sentences (paragraphs) holding an anchor's literals are the only
  ones NER must read (``entity_triggers``);
- an anchor that is only regexes without required literals ("a list of lines a colon introduces") is
  run on the article itself (``regex_anchors``: cheap, and it needs no model): NER reads the sentences
  (paragraphs) of its matches;
- an unanchored entity predicate, an anchor whose hits cannot be tied to literals or regexes, or an
  enrichment predicate this module does not know, needs NER over the whole text (``whole``): always correct.

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
from monitor.rules.selection import Near, SameSentence, Selection
from monitor.rules.units import clip, unit_windows
from monitor.rules.view import ArticleView

PARAGRAPH = -1
"""A reach: the whole paragraph (a line of the text) around a literal. Other reaches: a number of words
around it in its sentence, or None for its whole sentence."""
Reach = int | None


@dataclass(frozen=True)
class RuleNeeds:
    """What one rule needs from enrichment, whatever the article."""

    quantities: bool = False
    # NER around these literals: up to N words around each (``within``), its whole sentence (None), or its
    # whole paragraph (PARAGRAPH)
    entity_triggers: Mapping[str, Reach] = field(default_factory=dict)
    regex_anchors: tuple[tuple[AnyRegex, Reach], ...] = ()  # NER around these regexes' matches
    whole: bool = False  # NER over the whole text
    syntax_triggers: frozenset[str] = frozenset()  # parses of the sentences holding one of these
    syntax_whole: bool = False
    stand_in_labels: tuple[str, ...] | None = None  # see optimistic.py; None: the rule cannot be ruled out

    @property
    def nothing(self) -> bool:
        return not (
            self.quantities
            or self.entity_triggers
            or self.regex_anchors
            or self.whole
            or self.syntax_triggers
            or self.syntax_whole
        )


NOTHING = RuleNeeds()


def rule_needs(rule: Rule) -> RuleNeeds:
    """Read a compiled rule's needs off its selections (see the module docstring)."""
    selections = rule.matcher.selections
    quantities = whole = False
    triggers: dict[str, Reach] = {}
    regex_anchors: dict[AnyRegex, Reach] = {}
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
                literals, regexes, reach = anchored
                for literal in literals:
                    triggers[literal] = _wider(triggers.get(literal, 0), reach)
                for regex in regexes:
                    regex_anchors[regex] = _wider(regex_anchors.get(regex, 0), reach)
            elif getattr(predicate, "needs_syntax", False):
                # an argument's names are words of its trigger's own sentence
                sentence_of = _hit_literals(selection, selections)
                if sentence_of is None:
                    whole = True
                    continue
                for literal in sentence_of:
                    triggers[literal] = _wider(triggers.get(literal, 0), None)
            elif needs_enrichment(predicate):
                whole = True  # an add-on predicate we cannot reason about: enrich everything
    return RuleNeeds(
        quantities=quantities,
        entity_triggers=triggers,
        regex_anchors=tuple(regex_anchors.items()),
        whole=whole,
        syntax_triggers=rule.syntax_triggers if rule.needs_syntax else frozenset(),
        syntax_whole=rule.needs_syntax and not rule.syntax_triggers,
        stand_in_labels=optimistic.stand_in_labels(rule),
    )


def _anchor_literals(
    selection: Selection, selections: Mapping[str, Selection]
) -> tuple[frozenset[str], tuple[AnyRegex, ...], Reach] | None:
    """Literals one of which, or regexes one of whose matches, is near every hit ``selection`` can have,
    and how near (a ``Reach``); None when that cannot be told."""
    for constraint in selection.constraints:
        if constraint.away:
            continue  # "not near X" keeps hits anywhere else
        literals: set[str] = set()
        regexes: list[AnyRegex] = []
        known = bool(constraint.names)
        for name in constraint.names:
            if name not in selections:
                continue
            found = _hit_literals(selections[name], selections)
            if found is not None:
                literals |= found
            elif (only := _only_regexes(selections[name])) is not None:
                regexes += only
            else:
                known = False
        if known and (literals or regexes):
            reach: Reach = None
            if isinstance(constraint, Near):
                reach = max(d.words for d in constraint.distances)
            elif isinstance(constraint, SameSentence) and constraint.paragraph:
                reach = PARAGRAPH
            return frozenset(literals), tuple(regexes), reach
    return None


def _useful(literals: frozenset[str] | None) -> bool:
    """Literals that say where a regex matches: not a newline or a question mark ("\\n" is everywhere)."""
    return bool(literals) and all(sum(c.isalnum() for c in literal) >= 3 for literal in literals or ())


def _only_regexes(selection: Selection) -> tuple[AnyRegex, ...] | None:
    """The regexes of a selection made of nothing else, holding on its own (no proximity of its own) and
    reading the text: run on the article, they say where its hits are."""
    regexes = tuple(p for p in selection.predicates if isinstance(p, AnyRegex) and p.fields == ("text",))
    if selection.constraints or len(regexes) != len(selection.predicates):
        return None
    return regexes


def _wider(one: Reach, other: Reach) -> Reach:
    if one == PARAGRAPH or other == PARAGRAPH:
        return PARAGRAPH
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
        elif isinstance(predicate, AnyRegex) and _useful(predicate.required_literals):
            found |= predicate.required_literals or frozenset()
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
    unmapped = view.all_lower is None  # lowercasing moved offsets: literal positions say nothing here
    text = view.text("text")
    everything = quantities = False
    entity: list[Window] = []
    syntax: list[Window] = []
    for i in index.candidates(found):
        rule, need = rules[i], needs[i]
        if need.nothing:
            continue
        units = None if known is None else optimistic.possible_units(rule, view, known)
        if units is not None and not units:
            continue  # its words already rule every paragraph out
        if known is not None and not _may_need(rule, need, view, known, max_chars, checked=units is not None):
            continue
        allowed = None if units is None else unit_windows(text, view.layout, optimistic.scope_of(rule), units)
        quantities = quantities or need.quantities
        if unmapped or (need.whole and allowed is None):
            everything = True
        elif need.whole and allowed is not None:
            entity.extend(allowed)
        elif need.entity_triggers or need.regex_anchors:
            windows = sentence_windows(view, need.entity_triggers, max_chars)
            windows += match_windows(view, need.regex_anchors, max_chars)
            entity.extend(_within(windows, allowed))
        if need.syntax_whole or (unmapped and need.syntax_triggers):
            syntax.extend(allowed if allowed is not None and not unmapped else [(0, len(text))])
        elif need.syntax_triggers:
            syntax.extend(_within(sentence_windows(view, dict.fromkeys(need.syntax_triggers)), allowed))
    if everything:
        return EnrichmentNeeds(everything=True, quantities=True, syntax_windows=_merged(syntax))
    return EnrichmentNeeds(
        quantities=quantities, entity_windows=_merged(entity), syntax_windows=_merged(syntax)
    )


def _within(windows: Sequence[Window], allowed: Sequence[Window] | None) -> Sequence[Window]:
    return windows if allowed is None else clip(windows, allowed)


def _merged(windows: Sequence[Window]) -> tuple[Window, ...]:
    """``windows`` sorted, those that overlap or touch joined, empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and merged[-1][1] >= start:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged if end > start)


def _may_need(
    rule: Rule,
    needs: RuleNeeds,
    view: ArticleView,
    known: Enrichment,
    max_chars: int | None,
    checked: bool = False,
) -> bool:
    """False when ``rule`` cannot hold whatever the model finds: its condition is already false, or it
    needs the model's entities only in windows and no entities there would make it hold. ``checked``: the
    condition was already found able to hold in some paragraph (``possible_units``)."""
    if not checked and not optimistic.could_hold(rule, view, known):
        return False
    if needs.whole or needs.syntax_triggers or needs.syntax_whole or not needs.entity_triggers:
        return True
    labels = needs.stand_in_labels
    if labels is None or view.all_lower is None:
        return True
    windows = sentence_windows(view, needs.entity_triggers, max_chars)
    return optimistic.may_hold(rule, view, known, windows, labels)


ENTITY_WORDS = 5
PHRASE_WORDS = 6
"""Words a phrase may have before its most selective word (the literal the prefilter finds)."""
"""Words an entity name may have: a hit that ends within N words before a trigger may start this much
earlier."""


def sentence_windows(
    view: ArticleView, reaches: Mapping[str, Reach], max_chars: int | None = None
) -> tuple[Window, ...]:
    """Where the ``text`` field holds one of the literals of ``reaches``: its sentence, its paragraph, or
    the words within the literal's reach in its sentence (plus ENTITY_WORDS before), merged where they
    touch."""
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
            if reach == PARAGRAPH:
                start, end = _paragraph(text, position, limit)
            elif reach is not None:
                start = max(start, _words_back(text, hit_start, reach + ENTITY_WORDS, start))
                end = min(end, _words_on(text, position + len(literal), reach + 2, end))
            found.append((start, end))
    return _merged(found)


def match_windows(
    view: ArticleView, anchors: Sequence[tuple[AnyRegex, Reach]], max_chars: int | None = None
) -> tuple[Window, ...]:
    """Where the ``text`` field holds a match of one of the ``anchors``' regexes: every sentence (or, for
    ``PARAGRAPH``, every line) the match touches."""
    text = view.text("text")
    limit = len(text) if max_chars is None else min(len(text), max_chars)
    layout = view.layout
    starts = layout.sentence_starts
    found: list[Window] = []
    for regex, reach in anchors:
        for _, match in regex.matches(text):
            first, last = match.start(), max(match.start(), match.end() - 1)
            if first >= limit:
                continue
            if reach == PARAGRAPH:
                found.append(
                    (_paragraph(text, first, limit)[0], _paragraph(text, min(last, limit - 1), limit)[1])
                )
                continue
            index = layout.sentence_at(min(last, limit - 1))
            end = min(starts[index + 1] if index + 1 < len(starts) else len(text), limit)
            found.append((starts[layout.sentence_at(first)], end))
    return _merged(found)


def _paragraph(text: str, offset: int, limit: int) -> Window:
    """The line of ``text`` holding ``offset`` (text.py's paragraph), cut at ``limit``."""
    end = text.find("\n", offset)
    return text.rfind("\n", 0, offset) + 1, min(limit, len(text) if end < 0 else end)


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
