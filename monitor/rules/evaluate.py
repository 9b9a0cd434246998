"""Evaluating compiled rules against one article: pure (no I/O, no clock), cheap, and explained.

The article is read once (``ArticleView``); the prefilter picks the rules whose required words occur; each
candidate's matcher says whether it holds and why; with a memory, the rule's gates then say whether it
alerts and what to remember. Without a memory every rule that holds is a match: the stateless view that
examples and a plain dry run want.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from monitor.domain import Article, Enrichment, Match
from monitor.rules import keytemplate, optimistic
from monitor.rules.budget import Budget, RuleFailed
from monitor.rules.compiled import Rule
from monitor.rules.gates import FlatlineGate, GateInput
from monitor.rules.memory import Evaluation, RuleMemory, StateWrite
from monitor.rules.prefilter import RuleIndex
from monitor.rules.units import within_units
from monitor.rules.view import ArticleView


def evaluate_rule(rule: Rule, view: ArticleView) -> Match | None:
    """The match of one rule on the article in ``view``, or None when the rule does not hold."""
    outcome = rule.matcher.evaluate(view)
    if outcome is None:
        return None
    return Match(
        rule_id=rule.id,
        rule_title=rule.title,
        article_id=view.article.id,
        key=keytemplate.render(rule.key, outcome.captures) if rule.key else "",
        severity=rule.severity,
        tags=rule.tags,
        captures=dict(outcome.captures),
        spans=outcome.spans,
        explanation=outcome.explanation,
    )


def rule_view(rule: Rule, view: ArticleView) -> ArticleView:
    """``view`` with the model's findings outside the units the rule could hold in hidden (units.py)."""
    enrichment = view.enrichment
    if enrichment is None or not optimistic.reads_model(rule):
        return view
    units = optimistic.possible_units(rule, view, enrichment)
    if units is None:
        return view
    scope = optimistic.scope_of(rule)
    return view.with_enrichment(within_units(enrichment, view.layout, scope, units))


def evaluate_rules(
    rules: Sequence[Rule],
    index: RuleIndex,
    article: Article,
    enrichment: Enrichment | None = None,
    memory: RuleMemory | None = None,
    now: datetime | None = None,
    budget: Budget | None = None,
    view: ArticleView | None = None,
) -> Evaluation:
    """Every rule that holds for ``article`` (in rule order) and, with ``memory``, passes its gates.

    With a ``budget``, raises ``EvaluationOverBudget`` once the rules have taken longer than it allows;
    raises ``RuleFailed`` when a rule raises. ``view``: the article's view already made (by ``needs``).
    """
    if view is None:
        view = ArticleView(article, enrichment, index.prefilter)
    else:
        view = view.reading(article, enrichment)
    found = view.found
    assert found is not None
    matches: list[Match] = []
    suppressed: list[Match] = []
    writes: list[StateWrite] = []
    moment = now or article.fetched_at
    for position in index.candidates(found):
        rule = rules[position]
        try:
            match = evaluate_rule(rule, rule_view(rule, view))
        except Exception as exc:  # a defect in a predicate: the pipeline sets the article aside
            raise RuleFailed(rule.id, f"{type(exc).__name__}: {exc}") from exc
        if budget is not None:
            budget.check(rule.id)
        if match is None:
            continue
        if memory is None or not rule.gates:
            matches.append(match)
            continue
        passed, gated, rule_writes = _gate(rule, match, article, memory, moment)
        writes.extend(rule_writes)
        (matches if passed else suppressed).append(gated)
    return Evaluation(tuple(matches), tuple(writes), tuple(suppressed))


def _gate(
    rule: Rule, match: Match, article: Article, memory: RuleMemory, now: datetime
) -> tuple[bool, Match, list[StateWrite]]:
    captures = dict(match.captures)
    notes: list[str] = []
    writes: list[StateWrite] = []
    passed = True
    for gate in rule.gates:
        verdict = gate.check(GateInput(rule.id, match.key, captures, article, memory, now))
        writes.extend(verdict.writes)
        captures.update(verdict.captures)
        if verdict.note:
            notes.append(verdict.note)
        if not verdict.passed:
            passed = False
            break
    return passed, replace(match, captures=captures, explanation=(*match.explanation, *notes)), writes


def check_flatlines(rules: Sequence[Rule], memory: RuleMemory, now: datetime) -> Evaluation:
    """Alerts for keys of ``flatline`` rules that went silent, each once per silence."""
    matches: list[Match] = []
    writes: list[StateWrite] = []
    for rule in rules:
        for gate in rule.gates:
            if not isinstance(gate, FlatlineGate):
                continue
            silent, write = gate.silent_keys(rule.id, memory, now)
            matches.extend(_silence(rule, key, last, now) for key, last in silent)
            if write is not None:
                writes.append(write)
    return Evaluation(tuple(matches), tuple(writes))


def _silence(rule: Rule, key: str, last: Mapping[str, Any], now: datetime) -> Match:
    since = str(last["at"])
    return Match(
        rule_id=rule.id,
        rule_title=rule.title,
        article_id=int(last["article"]),  # the last article that matched: the silence started after it
        key=key,
        severity=rule.severity,
        tags=rule.tags,
        captures={"flatline": True, "last_seen": since},
        explanation=(f"flatline: nothing matched for key '{key}' since {since} (checked {now.isoformat()})",),
    )
