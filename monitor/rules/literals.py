"""Required literals: the words a phrase or regex cannot match without, for the Aho-Corasick prefilter.

A predicate "requires" a set of literals when it can only hold if at least one of them occurs (lowercased)
somewhere in the article. The set is a *necessary* condition, never a sufficient one: ``oil`` is required
by the phrase ``oil`` and also found in "turmoil", so the prefilter may let a rule through that then does
not match, but it never drops a rule that would. ``None`` means "unknown": the rule is always evaluated.

For regexes the parsed pattern is walked (Python's own ``re._parser``): a run of literal characters, a
required group, or an alternation whose every branch has a literal each give a candidate set; the most
selective candidate wins. Anything unexpected gives ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from monitor.rules import lemmas

try:  # the parser is private but stable since 3.11; if it moves, regexes just lose their prefilter
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a future Python
    sre_parser = None
    sre_constants = None

MIN_USEFUL_CHARS = 3
"""A required literal shorter than this occurs in nearly every article: not worth indexing a rule by."""

LiteralSet = frozenset[str]


def best(candidates: Iterable[LiteralSet | None], minimum: int = MIN_USEFUL_CHARS) -> LiteralSet | None:
    """The most selective of several sets that are each necessary: longest shortest literal, then fewest.

    None when no set has only literals of at least ``minimum`` characters.
    """
    known = [c for c in candidates if c]
    if not known:
        return None
    chosen = max(known, key=lambda s: (min(map(len, s)), -len(s)))
    return chosen if min(map(len, chosen)) >= minimum else None


def any_of(sets: Sequence[LiteralSet | None]) -> LiteralSet | None:
    """Literals for "one of these must hold": the union, unknown as soon as one part is unknown."""
    if not sets or any(s is None for s in sets):
        return None
    return minimal(frozenset().union(*(s for s in sets if s is not None)))


def minimal(literals: Iterable[str]) -> LiteralSet:
    """Drop literals that contain another one: finding "sanction" already covers "sanctions"."""
    ordered = sorted(set(literals), key=len)
    kept: list[str] = []
    for literal in ordered:
        if not any(shorter in literal for shorter in kept):
            kept.append(literal)
    return frozenset(kept)


def phrase_literals(phrase: str, lemma: bool = False) -> LiteralSet:
    """The literals of one phrase: its most selective word, with its inflections when ``lemma``."""
    words = phrase.rstrip("*").lower().split()
    options = [minimal(lemmas.forms(word) if lemma else (word,)) for word in words]
    return max(options, key=lambda s: (min(map(len, s)), -len(s)))


def regex_literals(source: str, flags: int = 0) -> LiteralSet | None:
    """Literals one of which every match of the regex contains, or None when that cannot be told."""
    if sre_parser is None:  # pragma: no cover
        return None
    try:
        parsed = sre_parser.parse(source, flags)
        return _sequence(list(parsed))
    except Exception:  # anything odd in a private API: no prefilter for this regex, never a failure
        return None


def _sequence(items: list[tuple[Any, Any]]) -> LiteralSet | None:
    c = sre_constants
    candidates: list[LiteralSet | None] = []
    run: list[str] = []
    for op, arg in items:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            candidates.append(frozenset({"".join(run).lower()}))
            run = []
        if op is c.SUBPATTERN:
            candidates.append(_sequence(list(arg[-1])))
        elif op is c.BRANCH:
            candidates.append(any_of([_sequence(list(branch)) for branch in arg[1]]))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            candidates.append(_sequence(list(arg[2])))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            candidates.append(_sequence(list(arg)))
    if run:
        candidates.append(frozenset({"".join(run).lower()}))
    return _strongest(candidates)


def _strongest(candidates: list[LiteralSet | None]) -> LiteralSet | None:
    known = [s for s in candidates if s]
    if not known:
        return None
    return max(known, key=lambda s: (min(map(len, s)), -len(s)))
