"""``RuleSet.needs``: what an article must be enriched with, decided from the rules before enrichment runs."""

from __future__ import annotations

import dataclasses

import pytest

from monitor.domain import Enrichment, EnrichmentNeeds, EntitySpan
from monitor.rules import article_from_text, load_rules
from monitor.rules.needs import rule_needs
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
    # the words within the target's reach of the trigger's hit, in its sentence
    assert _windows_text(text, needs) == ["The Treasury imposed sanctions on Acme Oil. "]
    assert not needs.everything and not needs.quantities


def test_the_model_reads_where_the_anchor_phrase_is_not_where_its_literal_is_part_of_another_word(
    rule_files: RuleFiles,
) -> None:
    rule_files.write(
        "listed.yaml",
        """
        version: 2
        id: listed
        title: Companies named after a list
        match:
          listing: {phrases: [the companies are, covered]}
          named: {entity: ORG, same_sentence_as: listing}
        condition: listing and named
        """,
    )
    ruleset = load_rules([rule_files.root])
    # "companies" and "covered" occur, but neither the phrase nor the word: nothing to read
    plain = "Prices recovered as companies such as Acme Oil raised output.\nShares of Bo Steel fell."
    assert ruleset.needs(article_from_text(plain), known=Enrichment(0)).entity_windows == ()
    text = "Prices recovered.\nThe companies are Acme Oil and Bo Steel. Shares fell."
    needs = ruleset.needs(article_from_text(text), known=Enrichment(0))
    assert _windows_text(text, needs) == ["The companies are Acme Oil and Bo Steel. "]


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


SYNTAX = """
    version: 2
    id: syntax-sanctions
    title: Sanctions on a named target
    match:
      action: {phrases: [sanction], lemma: true}
      target: {argument: {of: action, role: object, entity: [ORG]}, not_same_sentence_as: hedge}
      hedge: {phrases: [could, if]}
      sport: {phrases: [club, league], same_sentence_as: action}
    condition: action and target and not sport
"""


def test_parses_are_needed_where_the_argument_trigger_is_not_where_its_other_anchors_are(
    rule_files: RuleFiles,
) -> None:
    rule_files.write("syntax.yaml", SYNTAX)
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "Prices could rise if supply tightens.\nMarkets were calm in Asia and in Europe on Friday morning.\n"
        "The Treasury sanctioned Acme Oil on Friday."
    )
    text = article.field_text("text")
    needs = ruleset.needs(article)
    assert [text[start:end] for start, end in needs.syntax_windows] == [
        "The Treasury sanctioned Acme Oil on Friday."
    ]  # "could" and "if" (the hedge the target must not share a sentence with) need no parse


def test_a_syntax_rule_whose_condition_fails_on_plain_words_needs_no_model(rule_files: RuleFiles) -> None:
    rule_files.write("syntax.yaml", SYNTAX.replace("condition: action and target and not sport", GATED))
    ruleset = load_rules([rule_files.root])
    hedged = article_from_text("The Treasury could sanction Acme Oil if the talks fail, officials said.")
    # every sanction word in a hedged sentence: whatever the parse says the object is, the condition is false
    assert ruleset.needs(hedged, known=Enrichment(0)) == EnrichmentNeeds()
    assert ruleset.needs(
        hedged
    ).syntax_windows  # without what is known before the model, nothing is ruled out
    plain = article_from_text("The Treasury sanctioned Acme Oil on Friday.")
    assert ruleset.needs(plain, known=Enrichment(0)).syntax_windows


def test_a_negated_selection_rules_out_its_own_paragraph_or_the_whole_article(rule_files: RuleFiles) -> None:
    sport = article_from_text("The club sanctioned Acme Oil, its shirt sponsor, for misconduct on Friday.")
    rule_files.write("syntax.yaml", SYNTAX)
    assert load_rules([rule_files.root]).needs(sport, known=Enrichment(0)) == EnrichmentNeeds()
    two = article_from_text(
        "The Treasury sanctioned Acme Oil on Friday.\nThe club sanctioned a striker for misconduct."
    )
    text = two.field_text("text")
    # per paragraph (the default scope), "club" rules out its own paragraph only: the first is parsed
    needs = load_rules([rule_files.root]).needs(two, known=Enrichment(0))
    assert [text[start:end].strip() for start, end in needs.syntax_windows] == [
        "The Treasury sanctioned Acme Oil on Friday."
    ]
    rule_files.write("syntax.yaml", SYNTAX + "    scope: article\n")
    assert load_rules([rule_files.root]).needs(two, known=Enrichment(0)) == EnrichmentNeeds()


GATED = """  plain: {phrases: [sanction], lemma: true, not_same_sentence_as: hedge}
    condition: action and plain and target and not sport"""


PAIR = """
    version: 2
    id: pair
    title: Two people at a summit
    match:
      event: {phrases: [summit]}
      people: {entity: PERSON, same_paragraph_as: event, at_least: 2}
      politics: {phrases: [president]}
    condition: event and people and politics
"""


def test_a_paragraph_anchored_entity_needs_the_paragraphs_of_its_anchor_only(rule_files: RuleFiles) -> None:
    rule_files.write(
        "pair.yaml",
        PAIR.replace("    condition: event and people and politics", "    condition: event and people"),
    )
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "Ann Lee spoke about farming.\nThe summit opened. Bo Chan and Cy Moe arrived late.\nRain fell."
    )
    text = article.field_text("text")
    assert _windows_text(text, ruleset.needs(article)) == [
        "The summit opened. Bo Chan and Cy Moe arrived late."
    ]


def test_a_paragraph_scoped_rule_reads_the_models_names_only_where_its_words_could_make_it_hold(
    rule_files: RuleFiles,
) -> None:
    rule_files.write("pair.yaml", PAIR.replace("same_paragraph_as: event, ", ""))
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "Ann Lee and Di Orr toured a farm.\nThe president opened the summit with Bo Chan and Cy Moe."
    )
    text = article.field_text("text")
    # the first paragraph has neither "summit" nor "president": its names are nobody's summit partners
    needs = ruleset.needs(article, known=Enrichment(0))
    assert _windows_text(text, needs) == ["The president opened the summit with Bo Chan and Cy Moe."]
    people = [(name, text.index(name)) for name in ("Ann Lee", "Di Orr", "Bo Chan", "Cy Moe")]
    everything = Enrichment(
        0, tuple(EntitySpan(name, "PERSON", start, start + len(name), 0) for name, start in people)
    )
    (match,) = ruleset.evaluate(article, everything).matches
    assert match.captures["people"] == ["Bo Chan", "Cy Moe"]


STATE_PAIR = """
    version: 2
    id: meeting
    type: state
    title: A summit's status
    match:
      event: {phrases: [summit]}
      people: {entity: PERSON, at_least: 2}
      politics: {phrases: [president]}
    condition: event and people and politics
    states:
      planned: [planned]
      cancelled: [cancelled]
    states_near: event
    key: "{people}"
"""


def test_a_state_rule_reads_the_models_names_only_where_a_state_word_could_join_them(
    rule_files: RuleFiles,
) -> None:
    rule_files.write("meeting.yaml", STATE_PAIR)
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "Markets were calm.\n"
        "The president praised the summit with Ann Lee and Di Orr.\n"
        "Rain fell on the capital.\n"
        "The president's summit with Bo Chan and Cy Moe was cancelled."
    )
    text = article.field_text("text")
    # the second paragraph could hold the condition, but no state word is near it: it cannot alert
    needs = ruleset.needs(article, known=Enrichment(0))
    assert _windows_text(text, needs) == ["The president's summit with Bo Chan and Cy Moe was cancelled."]
    everyone = _people(text, "Ann Lee", "Di Orr", "Bo Chan", "Cy Moe")
    (match,) = ruleset.evaluate(article, everyone).matches
    assert (match.captures["people"], match.captures["state"]) == (["Bo Chan", "Cy Moe"], "cancelled")


def test_an_anywhere_selection_counts_in_every_paragraph_of_a_paragraph_scoped_rule(
    rule_files: RuleFiles,
) -> None:
    listed = """
        version: 2
        id: listed
        title: Names listed after a sanctions announcement
        match:
          action: {phrases: [sanctions]}
          names: {phrases: [the new entries are]}
        condition: action and names
    """
    article = article_from_text(
        "Britain announced new sanctions on Friday.\nThe new entries are: Acme Ltd and Bo Chan."
    )
    rule_files.write("listed.yaml", listed)
    assert not load_rules([rule_files.root]).evaluate(article).matches  # in no one paragraph
    rule_files.write(
        "listed.yaml", listed.replace("{phrases: [sanctions]}", "{phrases: [sanctions], anywhere: true}")
    )
    (match,) = load_rules([rule_files.root]).evaluate(article).matches
    assert match.captures["names"] == "The new entries are"


def test_in_a_paragraph_scoped_rule_a_negated_selection_only_looks_at_the_paragraph(
    rule_files: RuleFiles,
) -> None:
    rule_files.write(
        "imposed.yaml",
        """
        version: 2
        id: imposed
        title: New sanctions, not relief
        match:
          action: {phrases: [sanctions on]}
          relief: {phrases: [lifted]}
        condition: action and not relief
        """,
    )
    ruleset = load_rules([rule_files.root])
    two = article_from_text("Britain imposed sanctions on Acme Ltd.\nLast year it lifted curbs on Bo Chan.")
    assert [m.rule_id for m in ruleset.evaluate(two).matches] == [
        "imposed"
    ]  # "lifted" is another paragraph's
    one = article_from_text("Britain imposed sanctions on Acme Ltd and lifted curbs on Bo Chan.")
    assert ruleset.evaluate(one).matches == ()


def test_a_hit_over_several_lines_is_in_the_paragraph_of_each_line(rule_files: RuleFiles) -> None:
    """A list a colon introduces, one line per item: ``same_paragraph_as`` the list keeps each line."""
    rule_files.write(
        "bulleted.yaml",
        r"""
        version: 2
        id: bulleted
        title: Bulleted names after a sanctions announcement
        match:
          action: {phrases: [sanctions], anywhere: true}
          item: {regex: ['(?m)^- (\w+)$'], same_paragraph_as: block}
          block: {regex: ['(?<=:)\n- \w+(?:\n- \w+)*']}
        condition: action and item
        """,
    )
    article = article_from_text(
        "Britain announced new sanctions. The targets are:\n- Acme\n- Borax\n\nNo more."
    )
    found = [match.captures["item"] for match in load_rules([rule_files.root]).evaluate(article).matches]
    assert found and found[0] in {"- Acme", "- Borax"}
    alone = article_from_text("Britain announced new sanctions.\n- Acme\n- Borax")
    assert load_rules([rule_files.root]).evaluate(alone).matches == ()  # no colon: no list block


def test_a_regex_anchor_without_word_literals_sends_the_model_to_its_matches_only(
    rule_files: RuleFiles,
) -> None:
    """A list of lines a colon introduces has no word every match holds ("\\n" is everywhere): the regex
    is run on the article and the model reads only the lines it matched, not the whole text."""
    rule_files.write(
        "bulleted.yaml",
        r"""
        version: 2
        id: bulleted
        title: Names in a bulleted list after a sanctions announcement
        match:
          action: {phrases: [sanctions], anywhere: true}
          named: {entity: [ORG, PERSON], same_paragraph_as: block}
          block: {regex: ['(?<=:\n)- [^\n]+(?:\n- [^\n]+)*']}
        condition: action and named
        """,
    )
    ruleset = load_rules([rule_files.root])
    text = (
        "Britain announced sanctions today. The targets are:\n- Acme Ltd\n- Bo Chan\nThe rest is commentary."
    )
    needs = ruleset.needs(article_from_text(text))
    assert not needs.everything
    assert _windows_text(text, needs) == ["- Acme Ltd\n- Bo Chan"]
    plain = "Britain announced sanctions today.\nAcme Ltd and Bo Chan said nothing."
    assert ruleset.needs(article_from_text(plain)).entity_windows == ()  # no list: nothing to read
    assert "block" in rule_needs(ruleset.rules[0]).entity_anchors and not rule_needs(ruleset.rules[0]).whole
    rule_files.write(  # over the title only, the regex does not match the content's list: nothing to read
        "bulleted.yaml",
        (rule_files.root / "bulleted.yaml").read_text().replace("']}", "'], fields: [title]}"),
    )
    assert load_rules([rule_files.root]).needs(article_from_text(text)).entity_windows == ()


NEARBY = """
    version: 2
    id: nearby
    title: A summit, its leaders by title in the next paragraph
    match:
      event: {phrases: [summit]}
      leaders: {entity: PERSON, within: {words: 3, of: event}, at_least: 2, otherwise: titled}
      titled: {entity: PERSON, within: {words: 2, of: titles}, at_least: 2, nearby: 1}
      titles: {phrases: [president], anywhere: true}
    condition: event and leaders
"""


def _people(text: str, *names: str) -> Enrichment:
    spans = (EntitySpan(name, "PERSON", text.index(name), text.index(name) + len(name), 0) for name in names)
    return Enrichment(0, tuple(spans))


def test_nearby_evidence_counts_in_the_next_paragraph_and_the_model_reads_only_beside_its_anchor(
    rule_files: RuleFiles,
) -> None:
    rule_files.write("nearby.yaml", NEARBY)
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "A summit in Accra ended on Thursday.\n\n"
        "The deal was signed by President Ama Osei and President Kofi Mensah. Crowds cheered.\n\n"
        "Rain fell on the capital."
    )
    text = article.field_text("text")
    # the leaders' paragraph counts for the summit's, across the blank line; of it, only the titled sentence
    # is read (not "Crowds cheered.", nor the paragraph after)
    assert [w.strip() for w in _windows_text(text, ruleset.needs(article, known=Enrichment(0)))] == [
        "A summit in Accra ended on Thursday",  # the words within reach of "summit" (3, and a name's length)
        "The deal was signed by President Ama Osei and President Kofi Mensah.",
    ]
    (match,) = ruleset.evaluate(article, _people(text, "Ama Osei", "Kofi Mensah")).matches
    assert sorted(match.captures["leaders"]) == ["Ama Osei", "Kofi Mensah"]


def test_nearby_evidence_two_paragraphs_away_does_not_count(rule_files: RuleFiles) -> None:
    rule_files.write("nearby.yaml", NEARBY)
    ruleset = load_rules([rule_files.root])
    article = article_from_text(
        "A summit in Accra ended on Thursday.\n\nRain fell on the capital.\n\n"
        "President Ama Osei and President Kofi Mensah spoke about trade."
    )
    text = article.field_text("text")
    assert [w.strip() for w in _windows_text(text, ruleset.needs(article, known=Enrichment(0)))] == [
        "A summit in Accra ended on Thursday"
    ]
    assert not ruleset.evaluate(article, _people(text, "Ama Osei", "Kofi Mensah")).matches
    rule_files.write("nearby.yaml", NEARBY.replace("nearby: 1", "nearby: 2"))
    assert load_rules([rule_files.root]).evaluate(article, _people(text, "Ama Osei", "Kofi Mensah")).matches


def test_evaluate_reuses_the_view_needs_read_and_finds_the_same_matches(rule_files: RuleFiles) -> None:
    """The pipeline reads each article once: the phrase matches, prefilter scan and layout that `needs`
    derived serve `evaluate` (with the enrichment and the article as filed into its story)."""
    rule_files.write("sanctions.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    article = article_from_text("The Treasury imposed sanctions on Acme Oil on Monday.")
    start = article.field_text("text").index("Acme Oil")
    enrichment = Enrichment(article.id, (EntitySpan("Acme Oil", "ORG", start, start + len("Acme Oil"), 0),))
    view = ruleset.view(article)
    ruleset.needs(article, view=view)
    derived = set(view.memo)
    assert derived, "needs derived nothing from the text"
    filed = dataclasses.replace(article, story_id=7)
    shared = ruleset.evaluate(filed, enrichment, view=view)
    assert [m.captures for m in shared.matches] == [m.captures for m in ruleset.evaluate(filed, enrichment)]
    assert [m.rule_id for m in shared.matches] == ["sanctions"]
    assert derived <= set(view.memo)  # what needs found is still there, and evaluate added to the same memo
    other = article_from_text("Another article.")
    with pytest.raises(ValueError, match="cannot read article"):
        ruleset.evaluate(dataclasses.replace(other, id=article.id + 1), view=view)
