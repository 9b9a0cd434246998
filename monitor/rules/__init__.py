"""The rule language: YAML rules → compiled, immutable ``RuleSet`` → matches and memory writes per article.

Use ``load_rules`` at start-up and on reload (it raises ``RuleError`` with every located error at once),
``check_rules`` for ``newsmon rules check``, ``run_examples`` + ``format_example_report`` for
``newsmon rules test``, and ``RuleSet.evaluate(article, enrichment, memory, now)`` in the pipeline: it
returns an ``Evaluation`` (matches + ``StateWrite``s to apply with them). ``MemoryStore`` is an in-memory
``RuleMemory`` for tests, dry runs and backtests. ``explain`` says why a rule did or did not alert. The language is documented in docs/rules.md.
"""

from monitor.rules.budget import Budget, EvaluationOverBudget, RuleFailed
from monitor.rules.compiled import Example, Rule
from monitor.rules.durations import format_duration, parse_duration
from monitor.rules.examples import Enricher, ExampleResult, article_from_text, run_examples
from monitor.rules.lint import Vocabulary
from monitor.rules.loader import check_rules, find_rule_files, load_rules
from monitor.rules.memory import Evaluation, MemoryStore, RuleMemory, StateWrite
from monitor.rules.predicates import PredicateKind, predicate_kinds, register_predicate
from monitor.rules.report import ExampleCounts, format_example_report
from monitor.rules.rule_types import RuleType, register_rule_type, rule_types
from monitor.rules.ruleset import RuleSet
from monitor.rules.selection import Selection
from monitor.rules.view import ArticleView
from monitor.rules.why import Why, explain

__all__ = [
    "ArticleView",
    "Budget",
    "Enricher",
    "Evaluation",
    "EvaluationOverBudget",
    "Example",
    "ExampleCounts",
    "ExampleResult",
    "MemoryStore",
    "PredicateKind",
    "Rule",
    "RuleFailed",
    "RuleMemory",
    "RuleSet",
    "RuleType",
    "Selection",
    "StateWrite",
    "Vocabulary",
    "Why",
    "article_from_text",
    "check_rules",
    "explain",
    "find_rule_files",
    "format_duration",
    "format_example_report",
    "load_rules",
    "parse_duration",
    "predicate_kinds",
    "register_predicate",
    "register_rule_type",
    "rule_types",
    "run_examples",
]
