"""``rules.explain``: why a rule alerts, is held back, or does not hold — the account behind ``match --why``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.rules import MemoryStore, RuleSet, article_from_text, explain, load_rules
from tests.rules.builders import Ent, enriched_article
from tests.rules.conftest import RuleFiles

RULES = {
    "ban.yaml": """\
        id: ban
        title: A company banned
        key: "{target}"
        new_term: {field: target}
        match:
          action: {phrases: [banned, barred]}
          target: {entity: ORG, within: {words: 3, of: action, side: after}}
          relief: {phrases: [lifted]}
        condition: action and target and not relief
    """,
    "summit.yaml": """\
        id: summit
        type: state
        title: Summit status
        key: "{place}"
        match:
          event: {phrases: [summit]}
          place: {phrases: [Lisbon, Oslo]}
        condition: event and place
        states_near: event
        states:
          planned: [planned]
          cancelled: [called off]
    """,
    "either.yaml": """\
        id: either
        title: Either word with a port
        match:
          one: {phrases: [strike]}
          two: {phrases: [walkout]}
          place: {phrases: [port]}
        condition: (one or two) and place
    """,
}
NOW = datetime(2026, 3, 2, tzinfo=UTC)


@pytest.fixture
def ruleset(rule_files: RuleFiles) -> RuleSet:
    for name, text in RULES.items():
        rule_files.write(name, text)
    return load_rules([rule_files.root])


def test_a_missing_selection_is_named_with_what_it_looked_for(ruleset: RuleSet) -> None:
    article = article_from_text("Dock workers went home early at the port.")
    why = explain(ruleset, "either", article)
    assert (why.verdict, why.alerts) == ("does not hold", False)
    assert why.reason == "it would hold if 'one' held"
    assert why.lines == (
        "none of the words the rule needs occurs: 'strike', 'walkout'",
        "selection 'one' did not hold: any of 'strike' not found",
        "selection 'two' did not hold: any of 'walkout' not found",
        "selection 'place' held: phrase 'port' in text at 36–40",
        "condition: (one or two) and place → does not hold",
        "it would hold if 'one' held",
        "it would hold if 'two' held",
    )


def test_evidence_too_far_away_is_shown_with_the_distance_that_failed(ruleset: RuleSet) -> None:
    article, found = enriched_article(
        "Acme Oil was praised on Monday, and later the regulator banned imports.", Ent("Acme Oil")
    )
    why = explain(ruleset, "ban", article, found)
    assert why.reason == "it would hold if 'target' held"
    assert (
        "selection 'target' did not hold: found 'Acme Oil', but not within 3 words after 'action'"
        in why.lines
    )


def test_an_excluding_selection_that_held_is_the_blocker(ruleset: RuleSet) -> None:
    article, found = enriched_article("The regulator banned Acme Oil, then lifted the ban.", Ent("Acme Oil"))
    why = explain(ruleset, "ban", article, found)
    assert why.reason == "it would hold if 'relief' did not hold"


def test_entity_rules_without_enrichment_say_so(ruleset: RuleSet) -> None:
    why = explain(ruleset, "ban", article_from_text("The regulator banned Acme Oil."))
    assert "the rule reads entities or quantities, and this article was not enriched" in why.lines
    assert "selection 'target' did not hold: no enrichment for this article" in why.lines


def test_names_the_model_found_outside_the_rules_units_are_left_out_as_evaluation_leaves_them(
    rule_files: RuleFiles,
) -> None:
    """A paragraph rule counts the model's names only in the paragraphs where it could hold (those with its
    words): a name two lines up reached only by ``nearby``, with no anchor, is not read. The account must
    say what evaluation saw, not that the condition holds while no match comes."""
    rule_files.write(
        "talks.yaml",
        """\
        version: 2
        id: talks
        title: Leaders held talks
        match:
          event: {phrases: [talks]}
          leaders: {entity: PERSON, at_least: 2, nearby: 1}
        condition: event and leaders
        """,
    )
    ruleset = load_rules([rule_files.root])
    article, found = enriched_article(
        "Ama Osei arrived in Accra on Monday.\n\nBy noon she and Kofi Mensah had held talks.",
        Ent("Ama Osei", "PERSON"),
        Ent("Kofi Mensah", "PERSON"),
    )
    assert not ruleset.evaluate(article, found).matches
    why = explain(ruleset, "talks", article, found)
    assert (why.verdict, why.reason) == ("does not hold", "it would hold if 'leaders' held")


def test_a_state_rule_without_a_counting_state_word_says_which_were_negated(ruleset: RuleSet) -> None:
    article = article_from_text("The Lisbon summit was not called off, officials said.")
    why = explain(ruleset, "summit", article)
    assert why.verdict == "does not hold"
    assert why.reason == (
        "no state word in a sentence with 'event': none of the words of 'planned', 'cancelled' counts"
    )
    assert why.lines[-1] == "passed over: 'called off' at 26 (negated)"


def test_a_match_held_back_by_memory_names_the_gate(ruleset: RuleSet) -> None:
    article, found = enriched_article("The regulator banned Acme Oil on Monday.", Ent("Acme Oil"))
    memory = MemoryStore()
    first = explain(ruleset, "ban", article, found, memory, NOW)
    assert (first.verdict, first.reason) == ("alerts", "ban matched")
    assert first.lines[-1] == "new_term: new Acme Oil"
    memory.apply(ruleset.evaluate(article, found, memory, NOW))
    again = explain(ruleset, "ban", article, found, memory, NOW)
    assert (again.verdict, again.reason) == (
        "held back",
        "new_term: already seen: Acme Oil (seen 2026-03-02)",
    )


def test_an_unknown_rule_is_a_key_error(ruleset: RuleSet) -> None:
    with pytest.raises(KeyError):
        explain(ruleset, "nosuch", article_from_text("x"))


def test_when_no_single_selection_decides_it_the_missing_ones_are_listed(ruleset: RuleSet) -> None:
    why = explain(ruleset, "either", article_from_text("Nothing happened today."))
    assert why.reason == "no single selection decides it: did not hold: 'one', 'two', 'place'"
    article, found = enriched_article("Officials lifted the order.", Ent("Officials"))
    blocked = explain(ruleset, "ban", article, found)
    assert (
        blocked.reason
        == "no single selection decides it: did not hold: 'action', 'target'; held against it: 'relief'"
    )


def test_selections_in_different_paragraphs_of_a_paragraph_rule_say_so(rule_files: RuleFiles) -> None:
    rule_files.write(
        "either.yaml",
        RULES["either.yaml"].replace("        id: either\n", "        version: 2\n        id: either\n"),
    )
    ruleset = load_rules([rule_files.root])
    why = explain(ruleset, "either", article_from_text("Dockers began a strike.\n\nThe port stayed open."))
    assert why.verdict == "does not hold"
    assert why.reason.startswith("the condition holds across the article but not within one paragraph")
    assert explain(ruleset, "either", article_from_text("A strike at the port.")).alerts
