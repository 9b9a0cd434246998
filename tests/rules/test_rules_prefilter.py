"""The Aho-Corasick prefilter: which literals a rule needs, and that rules whose words are absent cost nothing.

The prefilter may only ever skip work, never change a result: the last test compares every rule's
outcome with and without it on a mixed bag of texts.
"""

from __future__ import annotations

import re

import pytest

from monitor.rules import RuleSet, article_from_text, load_rules
from monitor.rules import compiled as compiled_module
from monitor.rules.evaluate import evaluate_rule
from monitor.rules.literals import phrase_literals, regex_literals
from monitor.rules.view import ArticleView
from tests.rules.conftest import BUNDLED_RULES, RuleFiles

REGEXES = [
    (r"new\s+sanctions\s+on", frozenset({"sanctions"})),
    (r"\b(?:new|fresh)\s+sanctions", frozenset({"sanctions"})),
    (r"(?:alpha|beta) ship", frozenset({" ship"})),
    (r"(?:exports?|shipments)\s+of", frozenset({"export", "shipments"})),
    (r"(?P<figure>\d+) bpd", frozenset({" bpd"})),
    (r"(?-i:[A-Z]\w+) Corp", frozenset({" corp"})),
    (r"x*", None),
    (r"(a|b)c", frozenset({"c"})),  # needed, though too short to be worth indexing a rule by
    (r"[A-Z]{3,}", None),
    (r"(", None),
]


@pytest.mark.parametrize(("source", "expected"), REGEXES)
def test_the_literals_every_match_of_a_regex_contains(source: str, expected: frozenset[str] | None) -> None:
    assert regex_literals(source, re.IGNORECASE) == expected


PHRASES = [
    ("sanctions", False, frozenset({"sanctions"})),
    ("asset freeze", False, frozenset({"freeze"})),  # the most selective word
    ("oligarch*", False, frozenset({"oligarch"})),
    ("sanction", True, frozenset({"sanction"})),  # covers sanctions, sanctioned, ...
    ("freeze", True, frozenset({"freeze", "freezing", "froze"})),
    ("to meet", True, frozenset({"meet", "met"})),
]


@pytest.mark.parametrize(("phrase", "lemma", "expected"), PHRASES)
def test_the_literals_of_a_phrase(phrase: str, lemma: bool, expected: frozenset[str]) -> None:
    assert phrase_literals(phrase, lemma) == expected


def requirements(rule_files: RuleFiles, selections: str, condition: str) -> tuple[frozenset[str], ...]:
    body = "\n".join(f"  {line}" for line in selections.strip().splitlines())
    rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch:\n{body}\ncondition: {condition}\n")
    (rule,) = load_rules([rule_files.root]).rules
    return rule.matcher.requirements


SELECTIONS = """\
a: {phrases: [strike, walkout]}
b: {phrases: [port]}
c: {regex: 'harbou?r of'}
d: {none: [missile]}
e: {entity: ORG}
"""
REQUIREMENTS = [
    ("a and b", (frozenset({"strike", "walkout"}), frozenset({"port"}))),
    ("a or b", (frozenset({"strike", "walkout", "port"}),)),
    ("a and (b or c)", (frozenset({"strike", "walkout"}), frozenset({"port", "harbo"}))),
    ("a and not b", (frozenset({"strike", "walkout"}),)),
    ("d", ()),
    ("e or a", ()),  # an entity needs no word: the rule is evaluated for every article
]


@pytest.mark.parametrize(("condition", "expected"), REQUIREMENTS)
def test_what_a_rule_needs_is_read_off_its_condition(
    rule_files: RuleFiles, condition: str, expected: tuple[frozenset[str], ...]
) -> None:
    assert requirements(rule_files, SELECTIONS, condition) == expected


def test_a_rule_whose_words_are_absent_is_never_evaluated(
    rule_files: RuleFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = "".join(
        f"- id: r{n}\n  title: R\n  match: {{a: {{phrases: [word{n}x]}}, b: {{phrases: [strike]}}}}\n"
        for n in range(200)
    )
    rule_files.write("many.yaml", rules)
    ruleset = load_rules([rule_files.root])
    evaluated: list[str] = []
    original = compiled_module.SelectionMatcher.run

    def counting(self: compiled_module.SelectionMatcher, view: ArticleView) -> object:
        evaluated.append(next(iter(self.selections)))
        return original(self, view)

    monkeypatch.setattr(compiled_module.SelectionMatcher, "run", counting)
    matches = ruleset.evaluate(article_from_text("A strike, reported in word7x."))
    assert ([m.rule_id for m in matches], len(evaluated)) == (["r7"], 1)  # 199 rules cost nothing
    assert not ruleset.evaluate(article_from_text("word9x, but no walkout"))
    assert len(evaluated) == 1  # r9 needs both of its words: not even evaluated


TEXTS = [
    "Washington imposed new sanctions on Acme Corp and froze the assets of its chief executive.",
    "Dockworkers at the port of Valmere walked out after wage talks collapsed; the union said pay was too low.",
    "A fire broke out at the Northbay refinery and the pipeline was shut down.",
    "The summit was postponed. Turmoil in oil markets: exports of 2 million bpd, said the ministry.",
    "İstanbul port workers went on strike. The refinery's output was halted by an explosion.",
    "Nothing to see here at all.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_prefilter_never_changes_a_result(text: str) -> None:
    ruleset: RuleSet = load_rules([BUNDLED_RULES])
    article = article_from_text(text, title="Port strike and sanctions")
    with_prefilter = list(ruleset.evaluate(article))
    without = [m for rule in ruleset.rules if (m := evaluate_rule(rule, ArticleView(article))) is not None]
    assert with_prefilter == without
