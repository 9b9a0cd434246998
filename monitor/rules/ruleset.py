"""``RuleSet``: the loaded rules as one immutable value the daemon can swap atomically on reload."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from monitor.domain import Article, Enrichment, Match
from monitor.errors import Problem
from monitor.rules.compiled import Rule
from monitor.rules.evaluate import evaluate_rules


@dataclass(frozen=True)
class RuleSet:
    """Compiled rules in load order (files sorted by path), plus the warnings loading found."""

    rules: tuple[Rule, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def evaluate(self, article: Article, enrichment: Enrichment | None = None) -> list[Match]:
        """Every rule that holds for ``article``. Pure: no I/O, no clock, safe to call from any thread."""
        return evaluate_rules(self.rules, article, enrichment)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)
