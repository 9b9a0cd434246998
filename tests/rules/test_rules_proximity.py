"""Lemma, proximity and entity/quantity predicates, table-driven: what holds, on which text, what it captures."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.rules import RuleSet, article_from_text, load_rules
from tests.rules.builders import Ent, Fig, enriched_article
from tests.rules.conftest import RuleFiles


def rule(rule_files: RuleFiles, selections: str, condition: str = "s", key: str = "") -> RuleSet:
    """A rule with these selections (YAML lines under ``match:``) and condition."""
    body = "\n".join(f"  {line}" for line in selections.strip().splitlines())
    rule_files.write(
        "r.yaml",
        f"id: r\ntitle: R\nkey: '{key}'\nmatch:\n{body}\ncondition: {condition}\nexamples: {{match: [x]}}\n",
    )
    return load_rules([rule_files.root])


LEMMA = [
    ("sanction", "Washington sanctioned the firm", True),
    ("sanction", "new sanctions", True),
    ("sanction", "sanctioning bodies", True),
    ("freeze", "its assets were frozen", True),
    ("freeze", "they froze the accounts", True),
    ("ban", "exports were banned", True),
    ("cancel", "the meeting was canceled", True),
    ("cancel", "the meeting was cancelled", True),
    ("designate", "designated as a terrorist group", True),
    ("postpone", "talks postponed", True),
    ("asset freeze", "asset freezes on three banks", True),
    ("call off", "they called off the summit", True),
    ("sanction", "sanctity of contracts", False),
    ("ban", "a banner headline", False),
    ("meet", "they met on Friday", True),
    ("meet", "a meeting on Friday", True),
    ("meet", "the meat market", False),
]


@pytest.mark.parametrize(("phrase", "text", "expected"), LEMMA)
def test_lemma_matches_inflections_of_base_forms(
    rule_files: RuleFiles, phrase: str, text: str, expected: bool
) -> None:
    ruleset = rule(rule_files, f"s: {{phrases: ['{phrase}'], lemma: true}}")
    assert bool(ruleset.evaluate(article_from_text(text))) is expected


def test_without_lemma_a_phrase_is_literal(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, "s: {phrases: [sanction]}")
    assert not ruleset.evaluate(article_from_text("they were sanctioned"))


PROXIMITY = [
    # same_sentence_as: evidence must share a sentence with the other selection's
    ("same_sentence_as: a", "Oil rose. Gas fell.", False),
    ("same_sentence_as: a", "Oil and gas rose.", True),
    ("same_sentence_as: a", "Oil rose\nand gas fell.", False),  # a line break ends a sentence
    ("same_sentence_as: a", "The U.S. oil price and gas rose.", True),  # not after an initial
    ("same_sentence_as: [a, c]", "Coal rose and gas fell. Oil fell.", True),  # any of them
    ("not_same_sentence_as: a", "Oil and gas rose.", False),
    ("not_same_sentence_as: a", "Oil rose. Gas fell.", True),
    ("not_same_sentence_as: a", "Gas fell.", True),  # nothing to stay away from
    # within: words apart in one sentence; adjacent words are 1 apart
    ("within: {words: 2, of: a}", "oil and gas", True),
    ("within: {words: 1, of: a}", "oil and gas", False),
    ("within: {words: 3, of: a, side: after}", "oil then gas", True),
    ("within: {words: 3, of: a, side: after}", "gas then oil", False),
    ("within: {words: 3, of: a, side: before}", "gas then oil", True),
    ("within: {words: 5, of: a}", "Oil. Gas", False),  # never across sentences
    ("within: [{words: 1, of: a}, {words: 1, of: c}]", "coal gas", True),
    ("not_within: {words: 2, of: a}", "oil and gas", False),
    ("not_within: {words: 2, of: a}", "oil and then some gas", True),
    # same_paragraph_as: a paragraph is a line; near_paragraph_as: or the one just before or after it
    ("same_paragraph_as: a", "Oil rose. Gas fell.", True),
    ("same_paragraph_as: a", "Oil rose.\n\nGas fell.", False),
    ("near_paragraph_as: a", "Oil rose.\n\nGas fell.", True),  # blank lines are no paragraphs
    ("near_paragraph_as: a", "Gas fell.\nOil rose.", True),
    ("near_paragraph_as: a", "Oil rose.\nCoal fell.\nGas fell.", False),  # two paragraphs on
    ("not_same_paragraph_as: a", "Oil rose. Gas fell.", False),
    ("not_same_paragraph_as: a", "Oil rose.\nGas fell.", True),
]


@pytest.mark.parametrize(("option", "text", "expected"), PROXIMITY)
def test_proximity(rule_files: RuleFiles, option: str, text: str, expected: bool) -> None:
    ruleset = rule(
        rule_files, f"a: {{phrases: [oil]}}\nc: {{phrases: [coal]}}\ns: {{phrases: [gas], {option}}}"
    )
    assert bool(ruleset.evaluate(article_from_text(text))) is expected


def test_proximity_keeps_only_the_evidence_that_is_near(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, "a: {phrases: [oil]}\ns: {phrases: [gas, coal], same_sentence_as: a}")
    (match,) = ruleset.evaluate(article_from_text("Gas fell. Oil and coal rose."))
    assert match.captures["s"] == "coal"
    assert match.explanation[1] == "selection 's' held: phrase 'coal' in text at 18–22"


def test_a_selection_whose_anchor_did_not_hold_does_not_hold_and_says_why(rule_files: RuleFiles) -> None:
    ruleset = rule(
        rule_files,
        "a: {phrases: [oil]}\ns: {phrases: [gas], same_sentence_as: a}\nt: {phrases: [gas]}",
        "s or t",
    )
    (match,) = ruleset.evaluate(article_from_text("gas"))
    assert "selection 's' did not hold: 'a' did not hold" in match.explanation


ENTITY_CASES: list[tuple[str, Ent, bool]] = [
    ("entity: ORG", Ent("Rosneft", "ORG"), True),
    ("entity: [PERSON, GPE]", Ent("Rosneft", "ORG"), False),
    ("watchlist: companies", Ent("Rosneft", "ORG", "Rosneft", "companies"), True),
    ("watchlist: companies", Ent("Rosneft", "ORG"), False),
    ("{entity: PERSON, watchlist: companies}", Ent("Rosneft", "ORG", "Rosneft", "companies"), False),
    ("canonical: rosneft", Ent("Rosneft Oil Company", "ORG", "Rosneft", "companies"), True),
    ("canonical: [Lukoil]", Ent("Rosneft", "ORG", "Rosneft", "companies"), False),
]


@pytest.mark.parametrize(("predicate", "entity", "expected"), ENTITY_CASES)
def test_entity_predicates(rule_files: RuleFiles, predicate: str, entity: Ent, expected: bool) -> None:
    spec = predicate if predicate.startswith("{") else f"{{{predicate}}}"
    ruleset = rule(rule_files, f"s: {spec}")
    article, enrichment = enriched_article(f"Shares of {entity.text} fell.", entity)
    assert bool(ruleset.evaluate(article, enrichment)) is expected


def test_an_entity_selection_captures_sorted_distinct_names_and_top_keeps_the_most_named(
    rule_files: RuleFiles,
) -> None:
    text = "Putin met Trump. Trump spoke. Xi watched Trump and Putin."
    people = [Ent("Putin", "PERSON", "Vladimir Putin", "people"), Ent("Trump", "PERSON", "Donald Trump")]
    items = [*people, Ent("Trump", "PERSON", "Donald Trump", nth=1), Ent("Xi", "PERSON")]
    items += [Ent("Trump", "PERSON", "Donald Trump", nth=2), Ent("Putin", "PERSON", "Vladimir Putin", nth=1)]
    article, enrichment = enriched_article(text, *items)
    everyone = rule(rule_files, "s: {entity: PERSON}", key="{s}")
    (match,) = everyone.evaluate(article, enrichment)
    assert (match.captures["s"], match.key) == (
        ["Donald Trump", "Vladimir Putin", "Xi"],
        "Donald Trump, Vladimir Putin, Xi",
    )
    (top,) = rule(rule_files, "s: {entity: PERSON, top: 2}", key="{s}").evaluate(article, enrichment)
    assert top.key == "Donald Trump, Vladimir Putin"


def test_entities_respect_fields_and_proximity(rule_files: RuleFiles) -> None:
    article, enrichment = enriched_article(
        "Sanctions hit Acme Corp. Beta Ltd grew.",
        Ent("Acme Corp"),
        Ent("Beta Ltd", nth=1),
        title="Beta Ltd news",
    )
    ruleset = rule(
        rule_files,
        "a: {phrases: [sanctions]}\ns: {entity: ORG, within: {words: 3, of: a, side: after}}",
        key="{s}",
    )
    assert [m.key for m in ruleset.evaluate(article, enrichment)] == ["Acme Corp"]
    in_title = rule(rule_files, "s: {entity: ORG, fields: [title]}", key="{s}")
    assert [m.key for m in in_title.evaluate(article, enrichment)] == []  # both ORGs found are in the content
    _, in_the_title = enriched_article("Sanctions hit Acme Corp.", Ent("Beta Ltd"), title="Beta Ltd news")
    assert [m.key for m in in_title.evaluate(article, in_the_title)] == ["Beta Ltd"]


def test_also_adds_the_names_other_selections_found_and_otherwise_only_replaces(
    rule_files: RuleFiles,
) -> None:
    article, enrichment = enriched_article(
        "Sanctions hit Acme Corp. Also designated was Beta Ltd.", Ent("Acme Corp"), Ent("Beta Ltd")
    )
    selections = """
a: {phrases: [sanctions]}
more: {phrases: [also designated was]}
s: {entity: ORG, within: {words: 3, of: a, side: after}, OPTION: later}
later: {entity: ORG, within: {words: 4, of: more, side: after}}
"""
    pooled = rule(rule_files, selections.replace("OPTION", "also"), "a and s", key="{s}")
    assert [m.key for m in pooled.evaluate(article, enrichment)] == ["Acme Corp, Beta Ltd"]
    fallback = rule(rule_files, selections.replace("OPTION", "otherwise"), "a and s", key="{s}")
    assert [m.key for m in fallback.evaluate(article, enrichment)] == ["Acme Corp"]  # s held on its own


def test_without_enrichment_entity_and_quantity_predicates_never_hold(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, "s: {entity: ORG}\nq: {quantity: {unit: barrels}}", "s or q")
    assert not ruleset.evaluate(article_from_text("Acme Corp exported 5 barrels"))


QUANTITY_CASES: list[tuple[str, Fig, bool]] = [
    ("{unit: barrels_per_day}", Fig("2 million bpd", 2e6), True),
    ("{unit: [tonnes, barrels]}", Fig("2 million bpd", 2e6), False),
    ("{value: '>= 2 million'}", Fig("2 million bpd", 2e6), True),
    ("{value: '> 2e6'}", Fig("2 million bpd", 2e6), False),
    ("{value: '< 2,500,000'}", Fig("2 million bpd", 2e6), True),
    ("{value: 'between 1e6 and 3e6'}", Fig("2 million bpd", 2e6), True),
    ("{value: 'between 3e6 and 1e6'}", Fig("2 million bpd", 2e6), True),  # either order
    ("{value: '== 5'}", Fig("2 million bpd", 2e6), False),
    ("{near: [export]}", Fig("2 million bpd", 2e6, governors=("exports",)), True),
    ("{near: [export]}", Fig("2 million bpd", 2e6, governors=("imports",)), False),
    ("{near: [shipment]}", Fig("2 million bpd", 2e6, governors=("shipped",)), False),
    ("{not_near: [import, price]}", Fig("2 million bpd", 2e6, governors=("exports", "prices")), False),
    ("{not_near: [import, price]}", Fig("2 million bpd", 2e6, governors=("exports",)), True),
]


@pytest.mark.parametrize(("spec", "figure", "expected"), QUANTITY_CASES)
def test_quantity_predicate(rule_files: RuleFiles, spec: str, figure: Fig, expected: bool) -> None:
    ruleset = rule(rule_files, f"s: {{quantity: {spec}}}")
    article, enrichment = enriched_article("Exports hit 2 million bpd.", figure)
    assert bool(ruleset.evaluate(article, enrichment)) is expected


def test_a_quantity_captures_its_text_value_and_unit(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, "figure: {quantity: {unit: barrels_per_day}}", "figure", key="{value} {unit}")
    article, enrichment = enriched_article(
        "Exports hit 2.33 million barrels per day.", Fig("2.33 million barrels per day", 2.33e6)
    )
    (match,) = ruleset.evaluate(article, enrichment)
    captures: dict[str, Any] = dict(match.captures)
    assert (captures["figure"], captures["value"], captures["unit"]) == (
        "2.33 million barrels per day",
        2330000.0,
        "barrels_per_day",
    )
    assert match.key == "2330000.0 barrels_per_day"
    assert (
        "quantity 'barrels_per_day' matched '2.33 million barrels per day' (= 2.33e+06 barrels_per_day)"
        in match.explanation[0]
    )
