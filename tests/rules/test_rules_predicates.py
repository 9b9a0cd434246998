"""Each predicate and option, table-driven: what holds, on which text, and what it cites."""

from __future__ import annotations

import pytest

from monitor.rules import RuleSet, article_from_text, load_rules
from tests.rules.builders import Ent, enriched_article
from tests.rules.conftest import RuleFiles


def one_selection_rule(rule_files: RuleFiles, selection: str) -> RuleSet:
    """A rule whose only selection is ``selection`` (YAML flow mapping)."""
    rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch:\n  s: {selection}\nexamples: {{match: [x]}}\n")
    return load_rules([rule_files.root])


def holds(ruleset: RuleSet, text: str, title: str = "") -> bool:
    return bool(ruleset.evaluate(article_from_text(text, title=title)))


CASES = [
    # phrases: any of them, whole words, case-insensitive, flexible whitespace
    ("{phrases: [sanctions, asset freeze]}", "New SANCTIONS announced", True),
    ("{phrases: [sanctions, asset freeze]}", "an asset\n  freeze was ordered", True),
    ("{phrases: [sanctions, asset freeze]}", "nothing to see", False),
    ("{phrases: [oil]}", "turmoil in markets", False),
    ("{phrases: [oil]}", "oil-rich region", True),
    ("{phrases: [U.S.]}", "the U.S. said", True),
    ("{phrases: [U.S.]}", "the US said", False),
    ("{phrases: [sanction*]}", "they were sanctioned", True),
    ("{phrases: [sanction*]}", "the sanction", True),
    ("{phrases: [sanction*]}", "unsanctioned trade", False),
    ("{phrases: [oil], whole_words: false}", "turmoil in markets", True),
    ("{phrases: [OPEC], case: sensitive}", "OPEC met", True),
    ("{phrases: [OPEC], case: sensitive}", "opec met", False),
    # all: every phrase, anywhere
    ("{all: [port, strike]}", "the strike closed the port", True),
    ("{all: [port, strike]}", "the port closed", False),
    ("{all: [crude oil, oil exports]}", "crude oil exports rose", True),
    # none: holds when absent
    ("{none: [lifted, eased]}", "sanctions were imposed", True),
    ("{none: [lifted, eased]}", "sanctions were Lifted", False),
    ("{phrases: [sanctions], none: [lifted]}", "sanctions lifted", False),
    ("{phrases: [sanctions], none: [lifted]}", "sanctions imposed", True),
    # regex: one or a list, any of them, case-insensitive unless told
    (r"{regex: '\d+ bpd'}", "exports of 500 BPD", True),
    (r"{regex: '\d+ bpd'}", "exports of many bpd", False),
    (r"{regex: ['\d+ bpd', 'barrels a day']}", "two million barrels a day", True),
    (r"{regex: '(?-i:[A-Z]{3,})'}", "the opec cartel", False),
    (r"{regex: '(?-i:[A-Z]{3,})'}", "the OPEC cartel", True),
    (r"{regex: 'opec', case: sensitive}", "OPEC", False),
    (r"{regex: '^Oil'}", "Oil falls", True),
    (r"{regex: '^falls'}", "Oil\nfalls", False),
    (r"{regex: '(?m)^falls'}", "Oil\nfalls", True),
]


@pytest.mark.parametrize(("selection", "text", "expected"), CASES)
def test_predicate(rule_files: RuleFiles, selection: str, text: str, expected: bool) -> None:
    assert holds(one_selection_rule(rule_files, selection), text) is expected


FIELDS = [
    ("[title]", "Strike at port", "", True),
    ("[title]", "Quiet day", "strike at port", False),
    ("[content]", "Strike at port", "", False),
    ("[summary]", "", "", False),
    ("[title, content]", "Quiet day", "a strike", True),
    ("[text]", "Quiet day", "a strike", True),
]


@pytest.mark.parametrize(("fields", "title", "content", "expected"), FIELDS)
def test_fields_choose_what_is_read(
    rule_files: RuleFiles, fields: str, title: str, content: str, expected: bool
) -> None:
    ruleset = one_selection_rule(rule_files, f"{{phrases: [strike], fields: {fields}}}")
    assert holds(ruleset, content, title=title) is expected


def test_feed_link_and_tags_fields(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """\
        id: r
        title: R
        match:
          wire: {phrases: [Energy Wire], fields: [feed]}
          tagged: {phrases: [shipping], fields: [tags]}
          site: {regex: 'example\\.org/energy/', fields: [link]}
        examples: {match: [x]}
        """,
    )
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "text", feed_name="Energy Wire", tags=("shipping", "ports"), link="https://example.org/energy/1"
    )
    assert [m.rule_id for m in ruleset.evaluate(article)] == ["r"]
    other = article_from_text(
        "text", feed_name="Energy Wire", tags=("ports",), link="https://example.org/energy/1"
    )
    assert ruleset.evaluate(other).matches == ()


def test_a_regex_that_only_matches_empty_text_never_holds(rule_files: RuleFiles) -> None:
    ruleset = one_selection_rule(rule_files, "{regex: 'x*'}")
    assert holds(ruleset, "abc") is False
    assert holds(ruleset, "a xx b") is True


ENTITIES = """
id: names
title: Names
match:
  who: {entity: [ORG, PERSON, GPE]}
"""


def test_months_datelines_and_possessives_are_not_names_of_their_own(rule_files: RuleFiles) -> None:
    rule_files.write("names.yaml", ENTITIES)
    ruleset = load_rules([rule_files.root])
    article, enrichment = enriched_article(
        "SYDNEY, Feb 3 - Cyril Ramaphosa's visit to NATO went ahead.",
        Ent("SYDNEY", "GPE"),
        Ent("Feb", "ORG"),
        Ent("Cyril Ramaphosa's", "PERSON"),
        Ent("NATO", "ORG"),
    )
    [match] = ruleset.evaluate(article, enrichment)
    # the small model tags months and wire datelines as names; an acronym inside a sentence stays one
    assert match.captures["who"] == ["Cyril Ramaphosa", "NATO"]
