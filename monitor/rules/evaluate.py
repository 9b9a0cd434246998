"""Evaluating compiled rules against one article: pure (no I/O, no clock), cheap, and explained.

The article's field texts are computed once per article and shared by every rule; each rule's matcher
says whether it holds and why; this module turns that into a ``monitor.domain.Match``.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.domain import Article, Enrichment, Match
from monitor.rules import keytemplate
from monitor.rules.compiled import Rule
from monitor.rules.context import ArticleView


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


def evaluate_rules(
    rules: Iterable[Rule], article: Article, enrichment: Enrichment | None = None
) -> list[Match]:
    """Every rule that holds for ``article``, in rule order."""
    view = ArticleView(article, enrichment)
    matches = []
    for rule in rules:
        match = evaluate_rule(rule, view)
        if match is not None:
            matches.append(match)
    return matches
