"""Running rules' embedded examples: the test suite a rule carries with it (``newsmon rules test``).

An example is an article written into the rule file: a plain string (the article's content) or a mapping
with ``title``/``summary``/``content`` and, for examples that must match, ``expect`` (captures) and ``key``.
Examples run one by one, without memory: they test what the rule *says*, not what it remembers.
Enrichment is the caller's to give: ``run_examples`` takes an optional ``enrich`` function, so rules that
read entities or quantities can be tested by a caller that has the enrichment stage, while this package
stays free of it. Without one, such rules' examples are reported as skipped, never as passed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.domain import Article, Enrichment, Match
from monitor.errors import Problem
from monitor.rules.compiled import Example, Rule
from monitor.rules.context import EvalContext
from monitor.rules.evaluate import evaluate_rule
from monitor.rules.numbers import parse_number
from monitor.rules.ruleset import RuleSet
from monitor.rules.view import ArticleView

EXAMPLE_TIME = datetime(2000, 1, 1, tzinfo=UTC)
"""The fixed date of example articles: examples must not depend on when they run."""

Enricher = Callable[[Article], Enrichment]


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    summary: str = "",
    link: str | None = None,
    feed_name: str = "example",
    tags: tuple[str, ...] = (),
    article_id: int = 0,
    published_at: datetime = EXAMPLE_TIME,
) -> Article:
    """An article whose content is ``text``: for examples, tests and ``newsmon match --text``."""
    identity = hashlib.sha256("\n".join((title or "", summary, text)).encode()).hexdigest()[:32]
    return Article(
        id=article_id,
        feed_id=0,
        feed_name=feed_name,
        feed_url=f"example:{feed_name}",
        identity=identity,
        title=title or "",
        link=link,
        guid=None,
        summary=summary,
        content=text,
        author=None,
        published_at=published_at,
        fetched_at=published_at,
        tags=tags,
    )


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    example: Example
    expected: str  # "match" or "no_match"
    got: str  # "match" or "no_match"
    ok: bool
    message: str  # why it failed (or was skipped); "" when it passed
    match: Match | None = None
    skipped: bool = False  # the rule needs enrichment and none was given: neither passed nor failed

    def to_problem(self) -> Problem:
        """A failing example as a located warning: the rule contradicts its own documentation."""
        return Problem(
            self.example.location,
            f"rule '{self.rule_id}': {self.example.label()} failed: {self.message}",
            severity="warning",
        )


def example_article(example: Example) -> Article:
    return article_from_text(
        example.content,
        title=example.title,
        summary=example.summary,
        link=example.link,
        feed_name=example.feed,
        tags=example.tags,
    )


def run_example(
    ruleset: RuleSet, rule: Rule, example: Example, enrich: Enricher | None = None
) -> ExampleResult:
    if enrich is None and rule.needs_enrichment:
        message = "skipped: the rule reads entities or quantities, and no enrichment was given"
        return ExampleResult(rule.id, example, example.expected, "skipped", True, message, skipped=True)
    article = example_article(example)
    view = ruleset.view(article, enrich(article) if enrich else None)
    match = evaluate_rule(rule, view)
    got = "match" if match is not None else "no_match"
    message = _verdict(example, match)
    if example.expected == "match" and match is None:
        message += why_not(rule, view)
    return ExampleResult(rule.id, example, example.expected, got, not message, message, match)


def why_not(rule: Rule, view: ArticleView) -> str:
    """What kept the rule from holding: the selections it needed that did not hold, or those it excludes."""
    matcher = getattr(rule.matcher, "base", rule.matcher)  # a state rule's selections are its base's
    selections = getattr(matcher, "selections", {})
    positive = getattr(matcher, "positive", frozenset(selections))
    ctx = EvalContext(view, selections)
    missing = [ctx.selection(n).describe() for n in selections if n in positive and not ctx.selection(n).held]
    if missing:
        return ": " + "; ".join(missing)
    excluded = [f"'{n}'" for n in selections if n not in positive and ctx.selection(n).held]
    condition = getattr(matcher, "condition_text", "")
    if excluded:
        return f": {', '.join(excluded)} held, and the condition '{condition}' excludes it"
    if rule.type == "state":
        return ": the selections held, but no state's words counted"
    return f": the condition '{condition}' did not hold"


def run_examples(ruleset: RuleSet, enrich: Enricher | None = None) -> list[ExampleResult]:
    """Every example of every rule, in rule order: match examples first, then no_match ones."""
    return [
        run_example(ruleset, rule, example, enrich) for rule in ruleset.rules for example in rule.examples
    ]


def _verdict(example: Example, match: Match | None) -> str:
    if example.expected == "no_match":
        if match is None:
            return ""
        return "expected no match, but it matched: " + "; ".join(match.explanation)
    if match is None:
        return "expected a match, but the rule did not hold"
    for name, wanted in example.expect.items():
        got = match.captures.get(name)
        if not _same(got, wanted):
            return f"capture '{name}' is {_show(got)}, expected {_show(wanted)}"
    if example.key is not None and match.key != example.key:
        return f"key is {_show(match.key)}, expected {_show(example.key)}"
    return ""


def _same(got: object, wanted: object) -> bool:
    """Equal, or the same number written differently (YAML reads ``2.33e6`` as text)."""
    if got == wanted:
        return True
    if isinstance(got, int | float) and not isinstance(got, bool) and isinstance(wanted, str):
        try:
            return float(got) == parse_number(wanted)
        except ValueError:
            return False
    return False


def _show(value: object) -> str:
    return "missing" if value is None else repr(value)
