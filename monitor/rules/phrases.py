"""Literal phrase predicates: ``phrases`` (any), ``all`` (every one) and ``none`` (no one).

A phrase is literal text: case-insensitive unless the selection says ``case: sensitive``, whole words unless
``whole_words: false``, any run of whitespace between its words, a trailing ``*`` for a word prefix, and
with ``lemma: true`` each word's inflections (see ``lemmas.py``).

How phrases are found quickly is ``phrase_search.py``'s business: a phrase whose literals the prefilter
did not find costs nothing, and one that is present is only tried where its first word occurs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.rules import literals
from monitor.rules.context import EvalContext, Hit, PredicateResult
from monitor.rules.phrase_search import PhraseSearch, compile_search
from monitor.rules.predicates import PredicateKind, PredicateScope, register_predicate
from monitor.rules.schema import PhraseList, SelectionOptions


def check_phrases(phrases: Sequence[str], scope: PredicateScope) -> bool:
    ok = True
    for index, phrase in enumerate(phrases):
        if "*" in phrase.rstrip("*") or phrase.endswith("**") or not phrase.rstrip("*").strip():
            scope.error((index,), f"phrase '{phrase}': '*' may only end a word, as in 'sanction*'")
            ok = False
    return ok


def _literal_sets(phrases: Sequence[str], options: SelectionOptions) -> list[frozenset[str]]:
    return [literals.phrase_literals(phrase, options.lemma) for phrase in phrases]


@dataclass(frozen=True)
class AnyPhrase:
    """``phrases``: holds when any phrase occurs in any of the selection's fields."""

    search: PhraseSearch
    fields: tuple[str, ...]
    required_literals: frozenset[str] | None
    capture_names: frozenset[str] = frozenset()

    @property
    def checked_literals(self) -> frozenset[str]:
        return self.search.literals

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        if not ctx.view.may_contain(self.required_literals):
            return PredicateResult(held=False)
        hits = self.search.hits(ctx, self.fields)
        return PredicateResult(held=bool(hits), hits=hits)


@dataclass(frozen=True)
class AllPhrases:
    """``all``: holds when every phrase occurs somewhere in the selection's fields (each searched alone)."""

    searches: tuple[tuple[str, PhraseSearch, frozenset[str]], ...]
    fields: tuple[str, ...]
    required_literals: frozenset[str] | None
    checked_literals: frozenset[str]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        hits: list[Hit] = []
        for phrase, search, needed in self.searches:
            found = search.hits(ctx, self.fields) if ctx.view.may_contain(needed) else ()
            if not found:
                return PredicateResult(held=False, note=f"phrase '{phrase}' not found")
            hits.extend(found)
        return PredicateResult(held=True, hits=tuple(hits), cite_each=True)


@dataclass(frozen=True)
class NoPhrase:
    """``none``: holds when no phrase occurs in any of the selection's fields."""

    search: PhraseSearch
    phrases: tuple[str, ...]
    fields: tuple[str, ...]
    checked_literals: frozenset[str]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        if ctx.view.may_contain(self.checked_literals or None):
            found = self.search.hits(ctx, self.fields)
            if found:
                return PredicateResult(held=False, note=f"found excluded phrase '{found[0].span.text}'")
        shown = ", ".join(f"'{phrase}'" for phrase in self.phrases[:5])
        more = ", …" if len(self.phrases) > 5 else ""
        return PredicateResult(held=True, note=f"none of {shown}{more}")


def _compile_phrases(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AnyPhrase | None:
    if not check_phrases(value, scope):
        return None
    required = literals.any_of(_literal_sets(value, options))
    return AnyPhrase(compile_search(value, options), options.fields, required)


def _compile_all(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AllPhrases | None:
    if not check_phrases(value, scope):
        return None
    unique = list(dict.fromkeys(value))
    sets = _literal_sets(unique, options)
    searches = tuple(
        (phrase, compile_search([phrase], options), needed)
        for phrase, needed in zip(unique, sets, strict=True)
    )
    checked = frozenset().union(*(search.literals for _, search, _ in searches))
    return AllPhrases(searches, options.fields, literals.best(sets), checked)


def _compile_none(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> NoPhrase | None:
    if not check_phrases(value, scope):
        return None
    search = compile_search(value, options)
    return NoPhrase(search, tuple(value), options.fields, search.literals)


register_predicate(
    PredicateKind(
        "phrases",
        PhraseList,
        _compile_phrases,
        "any of these phrases occurs (case-insensitive, whole words)",
        order=10,
    )
)
register_predicate(
    PredicateKind("all", PhraseList, _compile_all, "every one of these phrases occurs", order=11)
)
register_predicate(PredicateKind("none", PhraseList, _compile_none, "none of these phrases occurs", order=12))
