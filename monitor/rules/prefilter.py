"""The Aho-Corasick prefilter: one pass over an article finds every literal any rule cares about.

Built once per ``RuleSet`` (pyahocorasick's only home). Per article, the lowercased text of every field is
scanned once; the result — the set of literals present — decides two things:

- which rules are worth evaluating at all: each rule is indexed under the literals it requires (see
  ``literals.py``), so a rule whose words are absent costs nothing, however many rules there are;
- inside a rule, whether a phrase predicate needs to run its regex: no literal, no search.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from monitor.rules import literals


class Prefilter:
    """A compiled automaton over a fixed set of lowercase literals."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals = frozenset(literal for literal in literals if literal)
        self._automaton: ahocorasick.Automaton | None = None
        if self.literals:
            automaton = ahocorasick.Automaton()
            for literal in self.literals:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            self._automaton = automaton

    def scan(self, lowered: str) -> list[tuple[int, str]]:
        """Every occurrence in ``lowered`` (text already lowercased by the caller): (end index, literal)."""
        return [] if self._automaton is None else list(self._automaton.iter(lowered))


@dataclass(frozen=True)
class RuleIndex:
    """Which rules an article can possibly match, from the literals found in it.

    Each rule is filed under its most selective required literal set; a rule found that way is a
    candidate only if its other required sets are present too (an isdisjoint check each).
    """

    prefilter: Prefilter
    by_literal: Mapping[str, tuple[int, ...]]
    always: frozenset[int]  # rules with no useful required literal: evaluated for every article
    requirements: tuple[tuple[frozenset[str], ...], ...]

    @classmethod
    def build(cls, requirements: Sequence[tuple[frozenset[str], ...]], checked: Iterable[str]) -> RuleIndex:
        """``requirements[i]``: the literal sets rule i needs, each at least once; ``checked``: every other
        literal predicates ask about."""
        by_literal: dict[str, list[int]] = {}
        always = set()
        for index, needed in enumerate(requirements):
            key = literals.best(needed)
            if key is None:
                always.add(index)
                continue
            for literal in key:
                by_literal.setdefault(literal, []).append(index)
        every = {literal for needed in requirements for group in needed for literal in group}
        prefilter = Prefilter({*every, *checked})
        return cls(
            prefilter, {k: tuple(v) for k, v in by_literal.items()}, frozenset(always), tuple(requirements)
        )

    def candidates(self, found: frozenset[str]) -> list[int]:
        """Indexes of the rules to evaluate, in rule order."""
        selected = set(self.always)
        for literal in found:
            selected.update(self.by_literal.get(literal, ()))
        return [
            index
            for index in sorted(selected)
            if all(not found.isdisjoint(needed) for needed in self.requirements[index])
        ]
