"""Embedded examples: how they run, how failures read, and the bundled rules' own examples."""

from __future__ import annotations

from monitor.domain import Article, Enrichment, EntitySpan
from monitor.rules import (
    Enricher,
    ExampleResult,
    article_from_text,
    format_example_report,
    load_rules,
    run_examples,
)
from tests.rules.conftest import BUNDLED_RULES, RuleFiles

RULE = """\
id: r
title: R
key: "{who}"
match:
  s: {regex: 'meet (?P<who>(?-i:[A-Z]\\w+))'}
examples:
  match:
    - "They will meet Ana tomorrow."
    - content: "They will meet Bo tomorrow."
      expect: {who: Cy}
    - content: "They will meet Bo tomorrow."
      key: Cy
    - {title: "Nothing here"}
    - content: "They will meet Di."
      expect: {matched: [meet Di]}
  no_match:
    - "They will meet Ed."
    - "No meeting."
"""


def results(rule_files: RuleFiles) -> list[ExampleResult]:
    rule_files.write("r.yaml", RULE)
    return run_examples(load_rules([rule_files.root]))


def test_each_example_reports_expected_got_ok_and_why(rule_files: RuleFiles) -> None:
    assert [(r.example.label(), r.expected, r.got, r.ok, r.message) for r in results(rule_files)] == [
        ("match example 1", "match", "match", True, ""),
        ("match example 2", "match", "match", False, "capture 'who' is 'Bo', expected 'Cy'"),
        ("match example 3", "match", "match", False, "key is 'Bo', expected 'Cy'"),
        (
            "match example 4",
            "match",
            "no_match",
            False,
            "expected a match, but the rule did not hold: selection 's' did not hold",
        ),
        ("match example 5", "match", "match", True, ""),
        (
            "no_match example 1",
            "no_match",
            "match",
            False,
            "expected no match, but it matched: selection 's' held: regex 'meet (?P<who>(?-i:[A-Z]\\w+))' "
            "matched 'meet Ed' in text at 10–17; condition: s",
        ),
        ("no_match example 2", "no_match", "no_match", True, ""),
    ]


def test_a_failing_example_becomes_a_located_problem(rule_files: RuleFiles) -> None:
    failed = [r for r in results(rule_files) if not r.ok]
    path = rule_files.root / "r.yaml"
    assert str(failed[0].to_problem()) == (
        f"{path}:9:7: rule 'r': match example 2 failed: capture 'who' is 'Bo', expected 'Cy' [warning]"
    )


def test_examples_can_be_enriched_by_the_caller(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch: {s: {phrases: [oil]}}\nexamples: {match: [oil]}\n")
    seen: list[Article] = []

    def enrich(article: Article) -> Enrichment:
        seen.append(article)
        return Enrichment(article.id, entities=(EntitySpan("oil", "PRODUCT", 0, 3, 0),))

    assert [r.ok for r in run_examples(load_rules([rule_files.root]), enrich)] == [True]
    assert [a.content for a in seen] == ["oil"]


def test_article_from_text_is_deterministic() -> None:
    one = article_from_text("body", title="Title", summary="Sum", link="https://x.invalid/1", tags=("a",))
    two = article_from_text("body", title="Title", summary="Sum", link="https://x.invalid/1", tags=("a",))
    assert one == two
    assert one.field_text("text") == "Title\nSum\nbody"
    assert (one.feed_name, one.published_at.year, one.id) == ("example", 2000, 0)
    assert article_from_text("other").identity != one.identity


BUNDLED = load_rules([BUNDLED_RULES])
MISSION = ("sanctions-new", "summit-status", "oil-export-figure")


def test_bundled_rule_examples_pass_with_the_real_enrichment_stage(enrich: Enricher) -> None:
    results = run_examples(BUNDLED, enrich)
    assert [r for r in results if not r.ok or r.skipped] == [], format_example_report(results)


def test_without_enrichment_the_examples_of_rules_that_need_it_are_skipped_not_passed() -> None:
    results = run_examples(BUNDLED)
    assert {r.rule_id for r in results if r.skipped} == set(MISSION)
    assert all(r.ok for r in results if not r.skipped)


def test_bundled_rules_load_without_warnings_and_carry_enough_examples() -> None:
    assert BUNDLED.warnings == ()
    assert set(BUNDLED.ids) >= {*MISSION, "demo-port-strike", "demo-energy-disruption"}
    for rule in BUNDLED.rules:
        kinds = [example.expected for example in rule.examples]
        least = 15 if rule.id in MISSION else 6
        assert kinds.count("match") >= least and kinds.count("no_match") >= least, rule.id
