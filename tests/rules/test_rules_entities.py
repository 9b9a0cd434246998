"""Names in rules' evidence: a surname is read as the full name the article writes."""

from __future__ import annotations

from monitor.domain import EntitySpan, Span
from monitor.rules import load_rules
from monitor.rules.context import Hit, PredicateResult, SelectionResult
from monitor.rules.name_resolution import full_names, resolve_names, written_full_name
from monitor.rules.selection import captures
from tests.rules.builders import Ent, enriched_article
from tests.rules.conftest import RuleFiles


def test_a_surname_resolves_to_the_one_first_name_the_text_writes_before_it() -> None:
    text = "Jetten-Meloni summit cancelled\nDutch Prime Minister Rob Jetten will not travel to meet Giorgia Meloni."
    assert written_full_name("Jetten", text) == "Rob Jetten"
    assert written_full_name("Meloni", text) == "Giorgia Meloni"
    assert written_full_name("Jetten", "Rob Jetten met Ann Jetten.") is None  # two first names: no guess
    assert written_full_name("Meloni", "Italian Meloni spoke.") is None  # a nationality is no first name
    # the last word of a sentence is no first name of the next one's subject
    assert written_full_name("Selin", "Arkady Selin shipped parts to Central Asia. Selin was arrested.") == (
        "Arkady Selin"
    )


def test_a_place_is_never_read_as_the_surname_of_a_longer_name() -> None:
    text = "Canada imposed sanctions on Tuesday, Global Affairs Canada said."
    entities = (
        EntitySpan("Canada", "GPE", 0, 6, 0),
        EntitySpan("Global Affairs Canada", "ORG", 37, 58, 0),
    )
    hits = (Hit("entity", "subject of action", Span("text", 0, 6, "Canada"), term="Canada", detail="(GPE)"),)
    assert [hit.term for hit in resolve_names(hits, entities, text)] == ["Canada"]


def test_a_person_named_without_a_first_name_is_the_one_full_name_ending_so() -> None:
    def person(name: str) -> Hit:
        return Hit("entity", "PERSON", Span("text", 0, len(name), name), term=name, detail="(PERSON)")

    def place(name: str) -> Hit:
        return Hit("entity", "GPE", Span("text", 0, len(name), name), term=name, detail="(GPE)")

    hits = (person("Emmanuel Nkusi Gatera"), person("Nkusi Gatera"), person("Moses Kato"))
    assert [hit.term for hit in resolve_names(hits, ())] == ["Emmanuel Nkusi Gatera"] * 2 + ["Moses Kato"]
    two = (person("Hamid Elfadil Barakat"), person("Osman Elfadil Barakat"), person("Barakat"))
    assert [hit.term for hit in resolve_names(two, ())][-1] == "Barakat"  # two end so: no guess
    places = (place("Oriental Republic of Uruguay"), place("Uruguay"))
    assert [hit.term for hit in resolve_names(places, ())][-1] == "Uruguay"


def test_full_names_leave_the_titles_out() -> None:
    entities = (EntitySpan("Kazakh President Kassym-Jomart Tokayev", "ORG", 0, 38, 0),)
    assert full_names(entities)["Tokayev"] == "Kassym-Jomart Tokayev"


LEADERS = """
id: leaders
title: Leaders
match:
  people: {entity: PERSON, person_like: true}
  countries: {entity: GPE}
condition: people or countries
"""


def test_a_capital_or_a_bare_title_is_no_person_and_a_capital_stands_for_its_country(
    rule_files: RuleFiles,
) -> None:
    rule_files.write("leaders.yaml", LEADERS)
    ruleset = load_rules([rule_files.root])
    article, found = enriched_article(
        "Sanae Takaichi met West African officials from Rabat and Emir Sheikh staff; Nairobi and Kampala "
        "sent envoys.",
        Ent("Sanae Takaichi", "PERSON"),
        Ent("Emir Sheikh", "PERSON"),  # titles without the name
        Ent("West African", "PERSON", nth=0),  # a region
        Ent("Rabat", "PERSON"),
        Ent("Nairobi", "GPE"),
        Ent("Kampala", "GPE"),
    )
    (match,) = ruleset.evaluate(article, found).matches
    assert match.captures["people"] == ["Sanae Takaichi"]
    assert match.captures["countries"] == ["Kenya", "Uganda"]


PARTIES = """
id: parties
title: Parties
match:
  parties: {entity: [ORG, PERSON]}
condition: parties
"""


def _parties(rule_files: RuleFiles, text: str, *entities: Ent) -> object:
    rule_files.write("parties.yaml", PARTIES)
    (match,) = load_rules([rule_files.root]).evaluate(*enriched_article(text, *entities)).matches
    return match.captures["parties"]


def test_a_city_or_region_the_model_calls_an_organisation_is_no_party(rule_files: RuleFiles) -> None:
    assert _parties(
        rule_files,
        "The ombudswoman installed in occupied Kherson, the Zug company Alpenkraft Rohstoffe AG and Hong Kong "
        "Quanda Trading Ltd were listed.",
        Ent("Kherson", "ORG"),
        Ent("Zug", "ORG"),
        Ent("Alpenkraft Rohstoffe AG", "ORG"),
        Ent("Hong Kong Quanda Trading Ltd", "ORG"),  # a place at the start of a name keeps the name
    ) == ["Alpenkraft Rohstoffe AG", "Hong Kong Quanda Trading Ltd"]


def test_a_company_s_first_word_the_model_left_out_goes_back_on_the_name(rule_files: RuleFiles) -> None:
    assert _parties(
        rule_files,
        "Those designated include Singapore's Pelican Bunkering Pte. Ltd., the Kenyan Mombasa Freight Ltd and "
        "Hong Kong Quanda Trading Ltd.",
        Ent("Bunkering Pte. Ltd.", "PERSON"),  # the model read "Pelican" as a nationality
        Ent("Mombasa Freight Ltd", "ORG"),  # after a nationality: the name starts where the model says
        Ent("Quanda Trading Ltd", "ORG"),  # after a place: likewise
    ) == ["Mombasa Freight Ltd", "Pelican Bunkering Pte. Ltd.", "Quanda Trading Ltd"]


FULL_NAMES = """
id: full
title: Full names
match:
  people: {entity: PERSON, person_like: true, full_name: true}
condition: people
"""


def test_a_one_word_person_counts_only_when_the_article_gives_the_name_in_full(rule_files: RuleFiles) -> None:
    rule_files.write("full.yaml", FULL_NAMES)
    ruleset = load_rules([rule_files.root])
    article, found = enriched_article(
        "President Dina Roldan drove into Chipata, where Boluarte's aide Mwale and K P Sharma Oli waited. "
        "Roldan spoke first.",
        Ent("Dina Roldan", "PERSON"),
        Ent("Chipata", "PERSON"),  # a town the small model calls a person
        Ent("Mwale", "PERSON"),  # a surname the article never gives in full
        Ent("K P Sharma Oli", "ORG"),  # initials lead a name the model calls an organisation
        Ent("Roldan", "PERSON", nth=1),  # given in full before: kept, read as the full name
    )
    (match,) = ruleset.evaluate(article, found).matches
    assert match.captures["people"] == ["Dina Roldan", "K P Sharma Oli"]


def test_a_name_that_ends_one_longer_name_of_the_selection_is_that_name() -> None:
    """Each predicate resolves its own names; the selection's capture joins the model's "Kyaw Zin" with
    the grammar's "Thura Kyaw Zin", keeps where the pair was first named, and never takes "The" for a
    first name."""

    def named(at: int, *terms: str) -> PredicateResult:  # the terms written 100 characters apart from ``at``
        spans = [Span("text", at + 100 * i, at + 100 * i + len(t), t) for i, t in enumerate(terms)]
        return PredicateResult(True, tuple(Hit("entity", "PERSON", s, term=s.text) for s in spans))

    model, grammar = named(0, "Kyaw Zin", "State Department"), named(50, "Soe Min Htet", "Thura Kyaw Zin")
    other = named(1000, "The State Department", "Sudan")
    result = SelectionResult("target", True, (grammar, model, other))
    assert captures([result])["target"] == sorted(
        ["Soe Min Htet", "Thura Kyaw Zin", "State Department", "The State Department", "Sudan"],
        key=str.casefold,
    )
    firsts = SelectionResult("actor", True, (model, grammar, other), first=True)
    assert captures([firsts])["actor"] == "Thura Kyaw Zin"  # where "Kyaw Zin" was named first


def test_an_organisation_a_watch_list_knows_never_passes_as_a_person(rule_files: RuleFiles) -> None:
    rule_files.write("leaders.yaml", LEADERS)
    ruleset = load_rules([rule_files.root])
    article, found = enriched_article(
        "Svenska Dagbladet reports that Gustavo Petro will visit Ulf Kristersson in Stockholm.",
        Ent("Svenska Dagbladet", "ORG", canonical="Svenska Dagbladet", watchlist="sources"),
        Ent("Gustavo Petro", "ORG"),  # the model's mistake: shaped like a person, on no list
        Ent("Ulf Kristersson", "PERSON"),
    )
    (match,) = ruleset.evaluate(article, found).matches
    assert match.captures["people"] == ["Gustavo Petro", "Ulf Kristersson"]


def test_a_two_word_name_resolves_to_the_first_name_the_text_writes_before_it() -> None:
    text = "President Moses Kato Ssempijja arrived in Kigali; later, Kato Ssempijja met his host."
    assert written_full_name("Kato Ssempijja", text) == "Moses Kato Ssempijja"
    # a title, a country or an honorific before the name is no first name
    assert written_full_name("Micheál Martin", "Taoiseach Micheál Martin spoke.") is None
    assert written_full_name("Anwar Ibrahim", "Datuk Seri Anwar Ibrahim arrived.") is None
    assert written_full_name("Javier Milei", "Argentina Javier Milei") is None


def test_pooled_selections_keep_the_whole_name_when_one_reads_it_cut_short(rule_files: RuleFiles) -> None:
    """The model read "Marvin Castellón", the list's line "Marvin Castellón Úbeda": one party, one name."""
    rule_files.write(
        "listed.yaml",
        """\
        id: listed
        title: Names on a list
        scope: article
        match:
          action: {phrases: [listed]}
          target: {entity: PERSON, within: {words: 12, of: action}, also: [lines]}
          lines: {regex: ['(?m)^- (?P<name>[A-Z][\\w ]+?)(?=,)'], names: true, anywhere: true}
        condition: action and target
        """,
    )
    ruleset = load_rules([rule_files.root])
    text = "The Council listed Marvin Castellón and others:\n- Marvin Castellón Úbeda, a judge\n- Ana Paz, a mayor"
    article, found = enriched_article(text, Ent("Marvin Castellón", "PERSON"))
    (match,) = ruleset.evaluate(article, found).matches
    assert sorted(match.captures["target"]) == ["Ana Paz", "Marvin Castellón Úbeda"]
