"""A selection: named predicates that must all hold, optionally near another selection's evidence.

Proximity (``same_sentence_as``, ``within``) narrows a selection's hits to those close to the hits of the
selections it names, in the ``text`` field's sentences and words (``text.py``); ``not_same_sentence_as``
and ``not_within`` keep those that are not. Evidence in ``link``, ``feed`` or ``tags`` is never near
anything. A selection that loses all its hits this way does not hold.
What a selection captures: its first hit's text, or — when its evidence is entities — the sorted distinct
names of all of them (see ``entities.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from monitor.domain import Span
from monitor.errors import SourceLocation
from monitor.rules.context import (
    DESCRIBES,
    MAX_CITED_HITS,
    EvalContext,
    Hit,
    PredicateResult,
    SelectionResult,
    tally_counts,
)
from monitor.rules.predicates import CompiledPredicate, checked_literals, needs_enrichment, required_literals
from monitor.rules.schema import FIELD_NAMES
from monitor.rules.view import ArticleView

Keep = Callable[[int, int], bool]
"""Whether a hit at text offsets (start, end) stays: the test a proximity constraint builds per article."""


@dataclass(frozen=True)
class SameSentence:
    """``same_sentence_as: [a, b]``: keep hits in a sentence where ``a`` or ``b`` has a hit.

    ``away``: ``not_same_sentence_as`` (``not_same_paragraph_as``) — keep hits in sentences (paragraphs)
    where none of them has a hit.
    ``paragraph``: ``same_paragraph_as`` — the same, by paragraph (a line of the text): "two people named
    in the meeting's paragraph" keeps a fallback from reading names anywhere in a long article.
    ``spill``: ``near_paragraph_as`` — also the paragraphs that many before and after (blank lines skipped):
    a group a sanction names in one paragraph, its members named in the next ("The pair, X and Y, …").
    """

    names: tuple[str, ...]
    away: bool = False
    paragraph: bool = False
    spill: int = 0

    @property
    def unit(self) -> str:
        return "paragraph" if self.paragraph else "sentence"

    def describe(self) -> str:
        either = " or ".join(f"'{name}'" for name in self.names)
        near = " or next to it" if self.spill else ""
        return f"{'only' if self.away else 'not'} in the same {self.unit} as {either}{near}"

    def keeps(self, anchors: Sequence[Hit], view: ArticleView) -> Keep:
        layout = view.layout
        unit_at = layout.paragraph_at if self.paragraph else layout.sentence_at
        units = {  # a hit over several lines ("the list: ⏎ - X ⏎ - Y") is in each of them
            unit
            for start, end in _positions(anchors, view)
            for unit in range(unit_at(start), unit_at(max(start, end - 1)) + 1)
        }
        if self.spill:
            units = set(layout.around(units, self.spill, self.paragraph))
        if self.away:
            return lambda start, end: unit_at(start) not in units
        return lambda start, end: unit_at(start) in units


@dataclass(frozen=True)
class Distance:
    of: str
    words: int
    side: str = "either"  # "before" or "after": where the hit must be, relative to ``of``'s hit


@dataclass(frozen=True)
class Near:
    """``within: [{words: N, of: action, side: after}, ...]``: keep hits at most N words from any of them.

    Distances never cross a sentence boundary: "within 8 words" means in the same sentence, too.
    ``away``: ``not_within`` — keep the hits that are *not* that close to any of them.
    """

    distances: tuple[Distance, ...]
    away: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.of for d in self.distances))

    def describe(self) -> str:
        parts = [
            f"{d.words} words{'' if d.side == 'either' else ' ' + d.side} '{d.of}'" for d in self.distances
        ]
        return f"{'only' if self.away else 'not'} within {' or '.join(parts)}"

    def keeps_near(self, anchors: Mapping[str, Sequence[Hit]], view: ArticleView) -> Keep:
        layout = view.layout
        places = [
            (d, s, e, layout.sentence_at(s))
            for d in self.distances
            for s, e in _positions(anchors.get(d.of, ()), view)
        ]

        def near(start: int, end: int) -> bool:
            sentence = layout.sentence_at(start)
            for d, a_start, a_end, a_sentence in places:
                if a_sentence != sentence:
                    continue
                if start < a_end and a_start < end:
                    if d.side == "either":
                        return True
                elif start >= a_end:
                    if d.side != "before" and layout.words_apart(a_end, start) <= d.words:
                        return True
                elif d.side != "after" and layout.words_apart(end, a_start) <= d.words:
                    return True
            return False

        return (lambda start, end: not near(start, end)) if self.away else near


Constraint = SameSentence | Near


def _positions(hits: Sequence[Hit], view: ArticleView) -> list[tuple[int, int]]:
    found = []
    for hit in hits:
        start = view.text_offset(hit.span)
        if start is not None:
            found.append((start, start + len(hit.span.text)))
    return found


def _restrict(
    results: tuple[PredicateResult, ...], keep: Keep, view: ArticleView
) -> tuple[PredicateResult, ...] | None:
    narrowed = []
    for result in results:
        if not result.hits:
            narrowed.append(result)
            continue
        kept = tuple(hit for hit in result.hits if _kept(hit, keep, view))
        if not kept or (result.cite_each and {h.pattern for h in kept} != {h.pattern for h in result.hits}):
            return None
        if len(kept) < len(result.hits):
            kept = tuple(tally_counts(kept))  # a count set aside is no longer in the tally
        narrowed.append(replace(result, hits=kept))
    return tuple(narrowed)


def _kept(hit: Hit, keep: Keep, view: ArticleView) -> bool:
    start = view.text_offset(hit.span)
    return start is not None and bool(keep(start, start + max(len(hit.span.text), 1)))


@dataclass(frozen=True)
class Selection:
    """A named group of predicates; it holds when all of them hold (checked in order, stopping early)."""

    name: str
    predicates: tuple[CompiledPredicate, ...]
    location: SourceLocation
    constraints: tuple[Constraint, ...] = ()
    top: int | None = None
    capture: str = "list"  # "first": an entity selection captures its first name, not the list
    otherwise: str | None = None  # a selection whose evidence this one takes when it has none
    also: tuple[str, ...] = ()  # selections whose evidence this one adds to its own when it holds
    at_least: int = 1  # distinct names (or hits) needed for the selection to hold
    anywhere: bool = False  # in a scope: paragraph rule, its evidence counts in every paragraph
    nearby: int = 0  # ... or also in the N paragraphs before and after its own

    @property
    def references(self) -> tuple[str, ...]:
        """Every other selection this one reads: proximity anchors, ``otherwise``, ``argument``'s ``of``."""
        named = [n for c in self.constraints for n in c.names]
        named += [n for p in self.predicates for n in getattr(p, "references", ())]
        if self.otherwise is not None:
            named.append(self.otherwise)
        named += self.also
        return tuple(dict.fromkeys(named))

    @property
    def needs_syntax(self) -> bool:
        return any(getattr(predicate, "needs_syntax", False) for predicate in self.predicates)

    @property
    def capture_names(self) -> frozenset[str]:
        return frozenset().union(*(predicate.capture_names for predicate in self.predicates))

    @property
    def requirements(self) -> tuple[frozenset[str], ...]:
        """One literal set per predicate that says what it needs: the selection needs all of them."""
        found = (required_literals(predicate) for predicate in self.predicates)
        return tuple(needed for needed in found if needed is not None)

    @property
    def checked_literals(self) -> frozenset[str]:
        return frozenset().union(*(checked_literals(predicate) for predicate in self.predicates))

    @property
    def needs_enrichment(self) -> bool:
        return any(needs_enrichment(predicate) for predicate in self.predicates)

    def evaluate(self, ctx: EvalContext) -> SelectionResult:
        return self._pooled(ctx, self._own_or_fallback(ctx))

    def _own_or_fallback(self, ctx: EvalContext) -> SelectionResult:
        result = self._evaluate(ctx)
        if result.held and (self.anywhere or self.nearby):
            result = replace(result, anywhere=self.anywhere, nearby=self.nearby)
        if result.held or self.otherwise is None:
            return result
        other = ctx.selection(self.otherwise)
        if not other.held:
            return result
        return replace(other, name=self.name, top=self.top, first=self.capture == "first")

    def _pooled(self, ctx: EvalContext, result: SelectionResult) -> SelectionResult:
        """``also``: the targets named in the sanction's own clause and those a later "Also designated
        were X and Y" names are one list; a fallback chain would keep only the first that holds."""
        if not result.held or not self.also:
            return result
        pooled = list(result.predicates)
        for name in self.also:
            other = ctx.selection(name)
            if other.held:
                pooled += [p for p in other.predicates if p not in pooled]
        return replace(result, predicates=_whole_names(_parties_over_descriptions(pooled)))

    def _unplaced(self, predicate: CompiledPredicate, result: PredicateResult) -> str:
        """Why a predicate reading the model's names found none: with enrichment on demand the model reads
        only near the selection's anchor, so "none near the anchor" is all either mode can say, and the
        explanation is the same whether the model read the whole text or only there."""
        if result.note or not needs_enrichment(predicate):
            return ""
        near = next((constraint for constraint in self.constraints if not constraint.away), None)
        return "" if near is None else near.describe()

    def _evaluate(self, ctx: EvalContext) -> SelectionResult:
        for constraint in self.constraints:  # cheap first: no anchor, no need to look for evidence
            present = [ctx.selection(name).held for name in constraint.names]  # all of them: the explanation
            if not constraint.away and not any(present):  # lists the same selections whatever the model read
                either = " or ".join(f"'{name}'" for name in constraint.names)
                return SelectionResult(self.name, False, (), f"{either} did not hold")
        results: list[PredicateResult] = []
        for predicate in self.predicates:
            result = predicate.evaluate(ctx)
            results.append(result)
            if not result.held:
                return SelectionResult(self.name, False, tuple(results), self._unplaced(predicate, result))
        narrowed = tuple(results)
        for constraint in self.constraints:
            anchors = {name: ctx.selection(name) for name in constraint.names}
            held = {name: result.hits for name, result in anchors.items() if result.held}
            if isinstance(constraint, Near):
                keep = constraint.keeps_near(held, ctx.view)
            else:
                keep = constraint.keeps([hit for hits in held.values() for hit in hits], ctx.view)
            kept = _restrict(narrowed, keep, ctx.view)
            if kept is None:
                return SelectionResult(self.name, False, tuple(results), constraint.describe())
            narrowed = kept
        if self.at_least > 1 and _distinct(narrowed) < self.at_least:
            return SelectionResult(self.name, False, narrowed, f"fewer than {self.at_least} distinct names")
        return SelectionResult(self.name, True, narrowed, top=self.top, first=self.capture == "first")


def _distinct(results: tuple[PredicateResult, ...]) -> int:
    return len({(hit.term or hit.span.text).casefold() for result in results for hit in result.hits})


def captures(cited: Sequence[SelectionResult]) -> dict[str, Any]:
    """``matched`` (every distinct matched text), each cited selection's capture, then named groups."""
    matched: dict[str, None] = {}
    found: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for result in cited:
        hits = result.hits
        names = _names(hits, result.top, first=result.first)
        if names:
            found.setdefault(result.name, names[0] if result.first else names)
        elif hits:
            found.setdefault(result.name, hits[0].span.text)
        for hit in hits:
            matched.setdefault(hit.span.text)
            for name, value in hit.groups.items():
                if isinstance(value, dict) and isinstance(groups.get(name), dict):
                    groups[name] = {**value, **groups[name]}  # tallies of several selections add up
                else:
                    groups.setdefault(name, value)
    found.update(groups)  # a named group is more precise than its selection's first text
    return {"matched": list(matched), **found}


def _names(hits: Sequence[Hit], top: int | None, *, first: bool = False) -> list[str]:
    """Distinct entity names, sorted; with ``top``, only the N named most often (ties: named first).

    ``first``: in the order written, so the first is the one named first."""
    counts: dict[str, int] = {}
    for hit in sorted(hits, key=_written_order) if first else hits:
        if hit.kind == "entity" and hit.term:
            counts[hit.term] = counts.get(hit.term, 0) + 1
    counts = _within_longer(counts)
    if first:
        return list(counts)
    ranked = sorted(counts, key=lambda name: -counts[name])  # stable: first mention breaks ties
    return sorted(ranked[:top] if top else ranked, key=str.casefold)


def _within_longer(counts: dict[str, int]) -> dict[str, int]:
    """A name of two words or more that ends exactly one longer name is that name: the model's "Kyaw Zin"
    beside the grammar's "Thura Kyaw Zin" (each predicate resolves its own names; this joins them)."""
    merged: dict[str, int] = {}  # in the order the first of each pair was named
    for name, count in counts.items():
        longer = [
            other
            for other in counts
            if " " in name and other.endswith(" " + name) and not other.casefold().startswith("the ")
        ]
        target = longer[0] if len(longer) == 1 else name
        merged[target] = merged.get(target, 0) + count
    return merged


def _written_order(hit: Hit) -> tuple[int, int]:
    return _FIELD_ORDER.get(hit.span.field, 99), hit.span.start


def spans(cited: Sequence[SelectionResult]) -> tuple[Span, ...]:
    unique = {
        hit.span: None for result in cited for p in result.predicates for hit in p.hits[:MAX_CITED_HITS]
    }
    return tuple(sorted(unique, key=lambda span: (_FIELD_ORDER.get(span.field, 99), span.start, span.end)))


_FIELD_ORDER = {name: index for index, name in enumerate(FIELD_NAMES)}


def _whole_names(predicates: Sequence[PredicateResult]) -> tuple[PredicateResult, ...]:
    """One party, one name: when pooled selections read one name twice, once cut short ("Marvin
    Castellón" by the model, "Marvin Castellón Úbeda" from the list's line), the longer reading stays."""
    terms = {hit.term for predicate in predicates for hit in predicate.hits if hit.term}

    def cut_short(hit: Hit) -> bool:
        return bool(hit.term) and any(other.startswith(f"{hit.term} ") for other in terms)

    kept = [replace(p, hits=tuple(h for h in p.hits if not cut_short(h))) for p in predicates]
    return tuple(p for p in kept if p.hits or not p.held)


def _parties_over_descriptions(predicates: Sequence[PredicateResult]) -> tuple[PredicateResult, ...]:
    """A name that only describes a noun ("EU lists RSF commander") stood in for its party while the
    clause named no one; once a pooled selection names the parties ("Those listed are X, a commander of the
    RSF, and Y"), it goes."""

    def described(hit: Hit) -> bool:
        return (hit.detail or "").endswith(DESCRIBES)

    if all(described(hit) for predicate in predicates for hit in predicate.hits):
        return tuple(predicates)
    kept = [replace(p, hits=tuple(h for h in p.hits if not described(h))) for p in predicates]
    return tuple(p for p in kept if p.hits or not p.held)
