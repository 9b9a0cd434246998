"""The rule language: YAML rules → compiled, immutable ``RuleSet`` → ``Match``es for an article.

Use ``load_rules`` at start-up and on reload (it raises ``RuleError`` with every located error at once),
``check_rules`` for ``newsmon rules check``, ``run_examples`` for ``newsmon rules test``, and
``RuleSet.evaluate`` in the pipeline. The language is documented in docs/rules.md.
"""

from monitor.rules.compiled import Example, Rule, Selection
from monitor.rules.examples import ExampleResult, article_from_text, run_examples
from monitor.rules.loader import check_rules, find_rule_files, load_rules
from monitor.rules.predicates import PredicateKind, predicate_kinds, register_predicate
from monitor.rules.rule_types import RuleType, register_rule_type, rule_types
from monitor.rules.ruleset import RuleSet

__all__ = [
    "Example",
    "ExampleResult",
    "PredicateKind",
    "Rule",
    "RuleSet",
    "RuleType",
    "Selection",
    "article_from_text",
    "check_rules",
    "find_rule_files",
    "load_rules",
    "predicate_kinds",
    "register_predicate",
    "register_rule_type",
    "rule_types",
    "run_examples",
]
