"""What a match says: captures, spans, the rendered key and the explanation lines."""

from __future__ import annotations

import json

import pytest

from monitor.domain import Match, Span
from monitor.rules import RuleSet, article_from_text, load_rules
from tests.rules.conftest import RuleFiles

SANCTIONS = """\
id: sanctions-test
title: New sanctions
severity: high
tags: [sanctions, test]
key: "{target}"
match:
  action:
    phrases: [sanctions, asset freeze]
    fields: [title, content]
  target:
    regex: 'against\\s+(?P<target>(?-i:[A-Z]\\w+))'
  relief:
    phrases: [lifted]
condition: action and target and not relief
examples: {match: ["sanctions against Acme"]}
"""


@pytest.fixture
def ruleset(rule_files: RuleFiles) -> RuleSet:
    rule_files.write("sanctions.yaml", SANCTIONS)
    return load_rules([rule_files.root])


def test_a_match_carries_the_rule_the_captures_the_spans_and_why(ruleset: RuleSet) -> None:
    article = article_from_text(
        "Brussels imposed sanctions against Orlov, and an asset freeze.",
        title="EU sanctions",
        article_id=42,
    )
    assert ruleset.evaluate(article).matches == (
        Match(
            rule_id="sanctions-test",
            rule_title="New sanctions",
            article_id=42,
            key="Orlov",
            severity="high",
            tags=("sanctions", "test"),
            captures={
                "matched": ["sanctions", "asset freeze", "against Orlov"],
                "action": "sanctions",
                "target": "Orlov",
            },
            spans=(
                Span("title", 3, 12, "sanctions"),
                Span("content", 17, 26, "sanctions"),
                Span("content", 49, 61, "asset freeze"),
                Span("text", 40, 53, "against Orlov"),
            ),
            explanation=(
                "selection 'action' held: phrase 'sanctions' in title at 3–12 (+2 more)",
                "selection 'target' held: regex 'against\\s+(?P<target>(?-i:[A-Z]\\w+))' "
                "matched 'against Orlov' in text at 40–53",
                "selection 'relief' did not hold",
                "condition: action and target and not relief",
            ),
        ),
    )


def test_span_offsets_point_into_the_field_they_name(ruleset: RuleSet) -> None:
    article = article_from_text("Fresh sanctions against Orlov.", title="Sanctions", summary="Brief")
    (match,) = ruleset.evaluate(article)
    for span in match.spans:
        assert article.field_text(span.field)[span.start : span.end] == span.text


def test_captures_are_json_serialisable(ruleset: RuleSet) -> None:
    (match,) = ruleset.evaluate(article_from_text("sanctions against Orlov"))
    assert json.loads(json.dumps(match.captures)) == match.captures


def test_a_not_selection_that_holds_stops_the_match(ruleset: RuleSet) -> None:
    assert ruleset.evaluate(article_from_text("sanctions against Orlov were lifted")).matches == ()


def test_without_a_key_template_the_key_is_empty(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch: {a: {phrases: [oil]}}\nexamples: {match: [oil]}\n")
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text("oil"))
    assert (match.key, match.severity, match.tags) == ("", "medium", ())


def test_an_optional_capture_that_did_not_occur_renders_empty(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """\
        id: r
        title: R
        key: "port:{port} ({kind})"
        match:
          kind: {phrases: [strike, walkout]}
          place: {phrases: [port]}
          named: {regex: 'port of (?P<port>(?-i:[A-Z]\\w+))'}
        condition: kind and (place or named)
        examples: {match: [strike at the port]}
        """,
    )
    ruleset = load_rules([rule_files.root])
    (plain,) = ruleset.evaluate(article_from_text("a strike at the port"))
    assert plain.key == "port: (strike)"
    (named,) = ruleset.evaluate(article_from_text("a walkout at the port of Valmere"))
    assert named.key == "port:Valmere (walkout)"
    # 'named' was not needed to decide, but it supports the match, so it is evaluated and cited
    assert (
        "selection 'named' held: regex 'port of (?P<port>(?-i:[A-Z]\\w+))' matched 'port of Valmere' "
        "in text at 17–32" in named.explanation
    )


def test_all_cites_every_phrase_and_none_says_what_was_absent(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        "id: r\ntitle: R\nmatch:\n  s: {all: [port, strike], none: [missile, drone]}\n",
    )
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text("strike at the port"))
    assert match.explanation == (
        "selection 's' held: phrase 'port' in text at 14–18; phrase 'strike' in text at 0–6; "
        "none of 'missile', 'drone'",
        "condition: s",
    )
    assert match.captures == {"matched": ["port", "strike"], "s": "port"}


def test_the_first_capture_in_the_text_wins_across_regexes(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """\
        id: r
        title: R
        key: "{figure}"
        match:
          f: {regex: ['(?P<figure>\\d+) bpd', 'exports of (?P<figure>\\d+) barrels']}
        examples: {match: [x]}
        """,
    )
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text("exports of 7 barrels, later 9 bpd"))
    assert match.key == "7"
    assert match.captures["matched"] == ["exports of 7 barrels", "9 bpd"]


def test_many_hits_are_counted_but_only_some_are_kept(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch: {a: {phrases: [oil]}}\nexamples: {match: [oil]}\n")
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text("oil " * 50))
    assert len(match.spans) == 20
    assert match.explanation[0] == "selection 'a' held: phrase 'oil' in text at 0–3 (+49 more)"


def test_rules_are_evaluated_in_file_order(rule_files: RuleFiles) -> None:
    for name in ("b.yaml", "a.yaml", "c/z.yaml"):
        rule_id = name.replace("/", "-").removesuffix(".yaml")
        rule_files.write(
            name, f"id: {rule_id}\ntitle: T\nmatch: {{x: {{phrases: [oil]}}}}\nexamples: {{match: [oil]}}\n"
        )
    ruleset = load_rules([rule_files.root])
    assert [m.rule_id for m in ruleset.evaluate(article_from_text("oil"))] == ["a", "b", "c-z"]


def test_long_regexes_are_shortened_in_explanations(rule_files: RuleFiles) -> None:
    long_regex = "(?:alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa) ship"
    rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch: {{a: {{regex: '{long_regex}'}}}}\n")
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text("the kappa ship"))
    assert match.explanation[0] == (
        "selection 'a' held: regex '(?:alpha|beta|gamma|delta|epsilon|zeta|eta|thet…' matched 'kappa ship' "
        "in text at 4–14"
    )
