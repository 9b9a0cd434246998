"""``RuleSet.needs``: what an article must be enriched with, decided from the rules before enrichment runs."""

from __future__ import annotations

from monitor.domain import EnrichmentNeeds
from monitor.rules import article_from_text, load_rules
from tests.rules.conftest import BUNDLED_RULES, RuleFiles

SANCTIONS = """
    version: 1
    id: sanctions
    title: Sanctions on a company
    match:
      action: {phrases: [sanction], lemma: true}
      target: {entity: [ORG, PERSON], within: {words: 8, of: action}}
    condition: action and target
"""


def _windows_text(text: str, needs: EnrichmentNeeds) -> list[str]:
    return [text[start:end] for start, end in needs.entity_windows]


def test_an_article_without_any_rule_literal_needs_nothing(rule_files: RuleFiles) -> None:
    rule_files.write("sanctions.yaml", SANCTIONS)
    article = article_from_text("Copper prices rose on Tuesday as warehouse stocks fell in Shanghai.")
    assert load_rules([rule_files.root]).needs(article) == EnrichmentNeeds()
    # the bundled figure rule has no literal to wait for: figures (a regex pass), never the model
    needs = load_rules([BUNDLED_RULES]).needs(article)
    assert needs == EnrichmentNeeds(quantities=True)


def test_a_quantity_rule_needs_figures_only() -> None:
    ruleset = load_rules([BUNDLED_RULES])
    article = article_from_text("Crude exports rose to 2.4 million barrels per day in March.")
    needs = ruleset.needs(article)
    assert needs.quantities and not needs.everything and needs.entity_windows == ()


def test_entity_rules_need_the_sentences_of_their_trigger_words_only(rule_files: RuleFiles) -> None:
    rule_files.write("sanctions.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "Oil prices fell on Monday.\n"
        "Analysts expect more supply. The Treasury imposed sanctions on Acme Oil. Markets shrugged.\n"
        "Acme Oil said it would appeal, Reuters reported.",
        title="Markets today",
    )
    text = article.field_text("text")
    needs = ruleset.needs(article)
    # the sentence before is read too: a phrase's hit may begin a few words before its literal, across a
    # sentence boundary ("have been\nsanctioned" in text wrapped at line breaks)
    assert _windows_text(text, needs) == [
        "Analysts expect more supply. The Treasury imposed sanctions on Acme Oil. "
    ]
    assert not needs.everything and not needs.quantities


def test_neighbouring_trigger_sentences_make_one_window(rule_files: RuleFiles) -> None:
    rule_files.write("sanctions.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    article = article_from_text("Sanctions were imposed on Acme. Sanctioned firms protested. Nothing else.")
    text = article.field_text("text")
    assert _windows_text(text, ruleset.needs(article)) == [
        "Sanctions were imposed on Acme. Sanctioned firms protested. "
    ]


def test_an_entity_anywhere_in_the_text_needs_the_whole_text(rule_files: RuleFiles) -> None:
    rule_files.write(
        "anywhere.yaml",
        """
        version: 1
        id: anywhere
        title: Sanctions and some person
        match:
          action: {phrases: [sanction], lemma: true}
          person: {entity: PERSON}
        condition: action and person
        """,
    )
    ruleset = load_rules([rule_files.root])
    assert ruleset.needs(article_from_text("New sanctions were announced.")).everything
    assert ruleset.needs(article_from_text("Nothing to see here.")).nothing


def test_a_watch_list_predicate_needs_no_model(rule_files: RuleFiles) -> None:
    rule_files.write(
        "listed.yaml",
        """
        version: 1
        id: listed
        title: A listed company and a summit
        match:
          event: {phrases: [summit]}
          company: {watchlist: companies}
        condition: event and company
        """,
    )
    ruleset = load_rules([rule_files.root])
    assert ruleset.needs(article_from_text("The summit with Rosneft was held.")).nothing


def test_an_anchor_whose_hits_are_not_tied_to_literals_needs_the_whole_text(rule_files: RuleFiles) -> None:
    rule_files.write(
        "chained.yaml",
        """
        version: 1
        id: chained
        title: Two people near each other
        match:
          word: {phrases: [summit]}
          host: {entity: PERSON}
          guest: {entity: PERSON, within: {words: 5, of: host}}
        condition: word and host and guest
        """,
    )
    ruleset = load_rules([rule_files.root])
    assert ruleset.needs(article_from_text("The summit: Ann Lee met Bo Chan.")).everything


def test_windows_stop_at_max_chars(rule_files: RuleFiles) -> None:
    rule_files.write("sanctions.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    article = article_from_text("Filler text here. " * 10 + "Sanctions on Acme.")
    assert ruleset.needs(article, max_chars=50).entity_windows == ()
    assert ruleset.needs(article).entity_windows != ()
