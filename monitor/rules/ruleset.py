"""``RuleSet``: the loaded rules as one immutable value the daemon can swap atomically on reload."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from monitor.domain import Article, Enrichment, EnrichmentNeeds
from monitor.errors import Problem
from monitor.rules.budget import Budget
from monitor.rules.compiled import Rule
from monitor.rules.evaluate import check_flatlines, evaluate_rules
from monitor.rules.memory import Evaluation, RuleMemory
from monitor.rules.needs import RuleNeeds, article_needs, rule_needs
from monitor.rules.prefilter import RuleIndex
from monitor.rules.view import ArticleView


@dataclass(frozen=True)
class RuleSet:
    """Compiled rules in load order (files sorted by path), plus the warnings loading found.

    The Aho-Corasick index over every rule's literals is built once, here, so evaluation threads share it.
    """

    rules: tuple[Rule, ...] = ()
    warnings: tuple[Problem, ...] = ()
    index: RuleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = RuleIndex.build(
            [rule.matcher.requirements for rule in self.rules],
            (literal for rule in self.rules for literal in rule.matcher.checked_literals),
        )
        object.__setattr__(self, "index", index)

    def evaluate(
        self,
        article: Article,
        enrichment: Enrichment | None = None,
        memory: RuleMemory | None = None,
        now: datetime | None = None,
        budget: Budget | None = None,
        view: ArticleView | None = None,
    ) -> Evaluation:
        """Every rule that holds for ``article`` and, given ``memory``, passes its gates.

        Pure: no I/O, no clock (``now`` defaults to ``article.fetched_at``), safe from any thread. Apply
        ``Evaluation.state_writes`` to the memory together with the matches. Without ``memory`` no gate
        runs: every rule that holds is a match (examples, a stateless dry run). With a ``budget``, an
        article whose rules take longer raises ``EvaluationOverBudget`` (the pipeline quarantines it).
        ``view``: the one ``needs`` read the article with (``RuleSet.view``): its phrase matches, prefilter
        scan and sentence layout are not computed again.
        """
        return evaluate_rules(self.rules, self.index, article, enrichment, memory, now, budget, view)

    def needs(
        self,
        article: Article,
        max_chars: int | None = None,
        known: Enrichment | None = None,
        view: ArticleView | None = None,
    ) -> EnrichmentNeeds:
        """What ``article`` must be enriched with for the rules that could match it (see needs.py).

        Nothing when no literal of a rule that reads enrichment occurs in it; figures for quantity rules;
        NER (and parses) only in the sentences around the trigger words of entity (and syntax) rules.
        ``max_chars``: enrichment reads no further (``enrichment.max_chars``). ``known``: the enrichment
        found without the model (names, figures); with it, rules that cannot hold whatever names the
        model found near their trigger words need nothing from it (optimistic.py).
        """
        if not self._needs_any:
            return EnrichmentNeeds()
        view = self.view(article) if view is None else view.reading(article, None)
        return article_needs(view, self.index, self.rules, self._rule_needs, max_chars, known)

    @functools.cached_property
    def _rule_needs(self) -> tuple[RuleNeeds, ...]:
        return tuple(rule_needs(rule) for rule in self.rules)

    @functools.cached_property
    def _needs_any(self) -> bool:
        return any(not needs.nothing for needs in self._rule_needs)

    def check_flatlines(self, memory: RuleMemory, now: datetime) -> Evaluation:
        """Alerts for ``flatline`` rules whose keys went silent: call it on a clock tick."""
        return check_flatlines(self.rules, memory, now)

    def view(self, article: Article, enrichment: Enrichment | None = None) -> ArticleView:
        """An article read with this rule set's prefilter, for evaluating single rules (examples)."""
        return ArticleView(article, enrichment, self.index.prefilter)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    @property
    def needs_enrichment(self) -> bool:
        """True when some rule reads entities or quantities."""
        return any(rule.needs_enrichment for rule in self.rules)
