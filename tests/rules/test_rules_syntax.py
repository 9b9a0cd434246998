"""Syntax in the rule language: ``argument`` over parses, scope, stance, key fallbacks, unwrapped text.

The unit tests parse with the rule-based fallback (``heuristic_parse``: no model needed) and build the
``Enrichment`` by hand; the last ones run the bundled mission rules through the real model.
"""

from __future__ import annotations

import pytest

from monitor.domain import Article, Enrichment, EntitySpan, unwrap_lines
from monitor.enrichment.syntax import heuristic_parse, parse_windows
from monitor.rules import Enricher, article_from_text, load_rules
from monitor.rules.keytemplate import placeholders, render
from monitor.rules.needs import rule_needs
from tests.rules.conftest import BUNDLED_RULES, RuleFiles

SANCTIONS = """
version: 2
id: s
title: S
key: "{target|authority}"
match:
  action: {phrases: [sanction, blacklist], lemma: true}
  target: {argument: {of: action, role: object, entity: [ORG, PERSON], proper_nouns: true}}
  counted:
    argument: {of: action, role: object, counts: {people: [people], companies: [firms, companies]}}
  authority:
    argument: {of: action, role: subject, entity: [ORG, GPE], proper_nouns: true}
    capture: first
condition: action and (target or counted)
captures: [authority]
"""


def enriched(article: Article, entities: tuple[EntitySpan, ...] = ()) -> Enrichment:
    """The rule-based parse of every sentence, and the given entities."""
    text = article.field_text("text")
    starts = [0, *[i + 1 for i, c in enumerate(text) if c == "\n"]]
    windows = list(zip(starts, [*starts[1:], len(text)], strict=True))
    return Enrichment(article.id, entities=entities, parses=parse_windows(None, text, windows))


def entity(text: str, whole: str, label: str) -> EntitySpan:
    start = whole.index(text)
    return EntitySpan(text, label, start, start + len(text), 0)


def test_counted_targets_and_the_authority_come_from_the_parse(rule_files: RuleFiles) -> None:
    rule_files.write("s.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    text = "The EU blacklisted 14 people and six firms on Monday."
    article = article_from_text(text)
    [match] = ruleset.evaluate(article, enriched(article, (entity("EU", text, "ORG"),)))
    assert match.captures["counts"] == {"people": 14, "companies": 6}
    assert match.captures["authority"] == "EU"
    assert match.key == "EU"  # no named target: the key falls back to the authority


def test_a_passive_target_before_the_verb_and_the_agent_after_it(rule_files: RuleFiles) -> None:
    rule_files.write("s.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    text = "Acme Oil and Borka Trading were blacklisted by Ruritania on Friday."
    article = article_from_text(text)
    [match] = ruleset.evaluate(article, enriched(article))
    assert match.captures["target"] == ["Acme Oil", "Borka Trading"]
    assert match.key == "Acme Oil, Borka Trading"


def test_a_bystander_that_only_comments_is_not_a_target(rule_files: RuleFiles) -> None:
    rule_files.write("s.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    text = "Exports fell as sanctions bite, Statistics Norway said."
    article = article_from_text(text)
    assert ruleset.evaluate(article, enriched(article)).matches == ()


def test_rules_declare_the_trigger_selections_whose_sentences_need_a_parse(rule_files: RuleFiles) -> None:
    rule_files.write("s.yaml", SANCTIONS)
    ruleset = load_rules([rule_files.root])
    assert "action" in rule_needs(ruleset.rules[0]).syntax_anchors
    text = "Title\nNothing here.\nThe EU blacklisted them."
    needs = ruleset.needs(article_from_text(text))
    assert [text[start:end] for start, end in needs.syntax_windows] == ["The EU blacklisted them."]


def test_the_fallback_parse_has_the_parser_shape() -> None:
    text = "Sovcomflot was designated by the State Department."
    parsed = heuristic_parse(text, 0, len(text))
    deps = {token.text: (token.dep, parsed.tokens[token.head].text) for token in parsed.tokens}
    assert deps["Sovcomflot"] == ("nsubjpass", "designated")
    assert deps["by"] == ("agent", "designated")
    assert deps["Department"] == ("pobj", "by")


def test_version_2_conditions_hold_within_one_paragraph(rule_files: RuleFiles) -> None:
    """Regression: demo-port-strike fired on words ~20,000 characters apart in one essay."""
    body = "match: {a: {phrases: [strike]}, b: {phrases: [port]}}\ncondition: a and b\n"
    rule_files.write("v1.yaml", "version: 1\nid: v1\ntitle: V1\n" + body)
    rule_files.write("v2.yaml", "version: 2\nid: v2\ntitle: V2\n" + body)
    ruleset = load_rules([rule_files.root])
    apart = article_from_text("The strike ended.\nLater, a new port opened.")
    together = article_from_text("The strike at the port ended.")
    assert [m.rule_id for m in ruleset.evaluate(apart)] == ["v1"]
    assert [m.rule_id for m in ruleset.evaluate(together)] == ["v1", "v2"]


STATE = """
id: m
title: M
type: state
match: {event: {phrases: [meet, summit]}}
states:
  planned: [will meet, as planned]
  cancelled: [was off, cancelled]
stance:
  speculation: [might]
  denial: [dismissed reports]
  conditional: [only once]
"""


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("The leaders might meet, and the summit was cancelled.", "cancelled"),
        ("The leaders might will meet next week.", None),  # speculation: nothing
        ("Aides dismissed reports that the summit was off and said they will meet as planned.", "planned"),
        ("He will meet her, he said, but only once the troops have left.", None),  # conditional: its sentence
        ("He will meet her. Only once the rain stops will the parade go ahead.", "planned"),
    ],
)
def test_stance_lists_are_the_rules_own(rule_files: RuleFiles, text: str, state: str | None) -> None:
    rule_files.write("m.yaml", STATE)
    found = load_rules([rule_files.root]).evaluate(article_from_text(text)).matches
    assert [m.captures["state"] for m in found] == ([state] if state else [])


def test_key_fallbacks_render_the_first_capture_that_is_not_empty() -> None:
    assert placeholders("{target|authority}") == ["target", "authority"]
    assert render("{target|authority}", {"target": [], "authority": "EU"}) == "EU"
    assert render("{target|authority}", {"target": ["A", "B"], "authority": "EU"}) == "A, B"


def test_hard_wrapped_paragraphs_are_read_unwrapped_with_the_same_offsets() -> None:
    wrapped = (
        "The US Treasury placed sanctions on Tuesday on Volkhov Maritime, a tanker manager registered in\n"
        "Dubai, and on its founder Arkady Belov, accusing them of shipping Iranian crude to refineries in\n"
        "Asia under forged paperwork.\n"
    )
    flat = unwrap_lines(wrapped)
    assert len(flat) == len(wrapped)
    assert "registered in Dubai" in flat and "refineries in Asia" in flat
    paragraphs = "First paragraph, written on one line.\nSecond one.\nThird one.\n"
    assert unwrap_lines(paragraphs) == paragraphs
    table = (
        "The UK added three entries to its Russia sanctions list on Wednesday, tabulated below as published\n"
        "with the measures that apply to each of them, and a note on the companies they control.\n"
        "Caspian Line Ltd | entity | asset freeze, trust services ban\n"
        "Timur Rashidovich Nabiyev | individual | asset freeze, travel ban\n"
        "Sevmor Fuel FZE | entity | asset freeze\n"
    )
    rows = table.split("\n")[2:5]
    assert set(rows) <= set(unwrap_lines(table).split("\n"))  # one row per line
    slugged = (  # blank lines, short last lines and a one-line slug do not hide the wrapping
        "Kestrel Maritime Holdings and its founder, Dariusz Volkan, were designated on Tuesday by the\n"
        "Office of Foreign Assets Control.\n\n(Adds detail from designation notice, paragraphs 2-4)\n\n"
        "OFAC said the Dubai firm had arranged ship-to-ship transfers off Malaysia to disguise the\n"
        "origin of Iranian cargoes.\n\nVolkan, who holds Polish and Cypriot passports, could not be\n"
        "reached for comment.\n"
    )
    flat = unwrap_lines(slugged)
    assert "by the Office" in flat and "disguise the origin" in flat and "could not be reached" in flat
    assert "\n\n(Adds detail from designation notice, paragraphs 2-4)\n\n" in flat


@pytest.mark.parametrize(
    ("title", "text", "rule", "captures"),
    [
        (
            "EU blacklists Arcadia",
            "The sanctions also cover two lawyers, a freight forwarder and, at the centre of the scheme, "
            "the trading house Arcadia Partners and its chairman, Ivan Petrov.",
            "sanctions-new",
            {"target": ["Arcadia Partners", "Ivan Petrov"]},
        ),
        (  # an inverted listing: what follows "are" is listed, never the one who lists (who acts is the
            "",  # sanctioning body the body names first)
            "The State Department announced a fresh step against Minsk. Designated under the Belarus sanctions "
            "programme are Belkhimtrans JSC, a state-controlled rail forwarder that handles potash cargoes, and "
            "its deputy director general, Pavel Hurynovich.",
            "sanctions-new",
            {"target": ["Belkhimtrans JSC", "Pavel Hurynovich"], "authority": "State Department"},
        ),
        (  # a name joined by "al-", which the model calls a facility
            "",
            "The UN Security Council on Friday imposed a travel ban and an asset freeze on Salem al-Jaziri, "
            "commander of a militia that controls the port of Zuwara in western Libya, over his alleged role in "
            "fuel smuggling and migrant trafficking.",
            "sanctions-new",
            {"target": ["Salem al-Jaziri"]},
        ),
        (
            "",
            "Japan imposed an asset freeze on three shipping companies in the Gulf.",
            "sanctions-new",
            {"counts": {"companies": 3}, "authority": "Japan"},
        ),
        (  # a freeze of what they hold names the targets, with a sanction word elsewhere in the article
            "",
            "Britain announced new sanctions on Tuesday.\n\nThe assets of Falcon Ridge Trading LLC and its "
            "owner, Vitaly Orlov, are frozen.",
            "sanctions-new",
            {"target": ["Falcon Ridge Trading LLC", "Vitaly Orlov"]},
        ),
        (
            "",
            "Britain announced new sanctions on Tuesday.\n\nDragan Petkovic and Armend Krasniqi will have "
            "their assets in Britain frozen, the Foreign Office said.",
            "sanctions-new",
            {"target": ["Armend Krasniqi", "Dragan Petkovic"]},
        ),
        (  # the list's preposition hung on the last object: "placed X and two of its affiliates on the list"
            "",
            "The Commerce Department on Thursday placed Shenzhen Hexin Microelectronics Co. and two of its "
            "Hong Kong affiliates on the Entity List, saying the chip designer had supplied drone makers.",
            "sanctions-new",
            {"target": ["Shenzhen Hexin Microelectronics Co"]},
        ),
        (  # a sanctions list is no authority: the agency that designated them is
            "",
            "Fourteen tankers were added to the Specially Designated Nationals list on Thursday.\n\n"
            "Silvergate Maritime Ltd and Tern Ocean Inc were also designated by OFAC, according to the notice.",
            "sanctions-new",
            {"target": ["Silvergate Maritime Ltd", "Tern Ocean Inc"], "authority": "OFAC"},
        ),
        (  # "those now listed include": names in the next sentence, with their company suffixes
            "",
            "The EU added 17 individuals and 11 entities to its Russia sanctions list on Monday.\n\nThose now "
            "listed include the Novorossiysk-based reinsurer Severny Shchit JSC and two Dubai trading houses, "
            "Almaz Gulf Commodities DMCC and Kestrel Bay Trading FZCO.",
            "sanctions-new",
            {"target": ["Almaz Gulf Commodities DMCC", "Kestrel Bay Trading FZCO", "Severny Shchit JSC"]},
        ),
        (  # the names a count announces after a comma, which the parser hangs off the verb
            "",
            "The European Union on Monday imposed sanctions on Marlowe Gold Refining Co and two of its "
            "directors, Osman Idris Kambal and Hamid el-Nur Saeed, accusing them of funding a militia.",
            "sanctions-new",
            {"target": ["Hamid el-Nur Saeed", "Marlowe Gold Refining Co", "Osman Idris Kambal"]},
        ),
        (  # ... also when the count is the passive subject, with a clause before the names
            "",
            "Two Russian nationals linked to last year's ransomware attack on a Melbourne hospital group, Dmitry "
            "Sukhov and Yegor Bashkirov, have been sanctioned by Australia under its autonomous cyber sanctions "
            "framework.",
            "sanctions-new",
            {"target": ["Dmitry Sukhov", "Yegor Bashkirov"]},
        ),
        (  # leaders by office and nationality, one nationality missed by the entity model
            "",
            "The Kazakh and Uzbek presidents have postponed a meeting planned for Thursday in the border town of "
            "Karatobe after flash floods cut the main road, officials in both capitals said on Tuesday.",
            "summit-status",
            {"leaders": ["Kazakhstan", "Uzbekistan"], "state": "postponed"},
        ),
        (  # ... only as many as were counted: "two firms, one in Dubai" names nobody
            "",
            "Britain on Tuesday sanctioned two shipping firms, one in Dubai and one in Hong Kong, over oil "
            "cargoes.",
            "sanctions-new",
            {"counts": {"companies": 2}, "authority": "Britain"},
        ),
        (  # "Also designated was Y": one more target after the sentence that named X
            "",
            "The State Department on Thursday sanctioned Dragan Kostic, a Serbian arms broker.\n\nAlso "
            "sanctioned was his Limassol-registered company, Balkan Freight Solutions Ltd, which chartered "
            "the cargo flights.",
            "sanctions-new",
            {"target": ["Balkan Freight Solutions Ltd", "Dragan Kostic"]},
        ),
        (  # "asset freezes" split in two by the parser; a number it made a compound of the noun
            "",
            "Seventeen Belarusian officials and nine firms were hit with asset freezes by the European Union "
            "on Monday.",
            "sanctions-new",
            {"counts": {"people": 17, "companies": 9}, "authority": "European Union"},
        ),
        (  # a decision reported ("said it would"), not a hedge
            "",
            "Japan said on Wednesday it would freeze the assets of 11 entities and three individuals that it "
            "accuses of helping Russia obtain machine tools.",
            "sanctions-new",
            {"counts": {"people": 3, "companies": 11}, "authority": "Japan"},
        ),
        (  # a participle that names the targets
            "",
            "The US Treasury on Thursday imposed sanctions on a smuggling organisation operating through the "
            "port, naming its alleged leader Vuk Radovic, his brother Nenad Radovic and the shipping agent "
            "Adria Maris DOO.",
            "sanctions-new",
            {"target": ["Adria Maris DOO", "Nenad Radovic", "Vuk Radovic"]},
        ),
        (  # the name after a described party, made a second object of the verb; an honorific dropped
            "",
            "The State Department on Thursday imposed sanctions on Cambodian tycoon Oknha Lim Sovanna and his "
            "Sihanoukville-based Golden Reef Holdings, accusing them of running scam compounds.",
            "sanctions-new",
            {"target": ["Golden Reef Holdings", "Lim Sovanna"]},
        ),
        (  # the name after a describing noun, made the subject of the report's verb
            "",
            "Ottawa has imposed sanctions on the shipyard Baltic Hull Engineering and its director, engineer "
            "Oleg Marchenko, Global Affairs Canada announced on Friday.",
            "sanctions-new",
            {"target": ["Baltic Hull Engineering", "Oleg Marchenko"]},
        ),
        (  # "as well as its owner, Y" after a long description of X: the parser hangs it inside the clause
            "EU sanctions Tallinn ship manager",
            "The European Union on Monday listed Narva Marine Services, a Tallinn ship manager that EU "
            "officials say ran tankers loading Russian crude at Ust-Luga for buyers in Asia, as well as its "
            "owner, Pavel Lindqvist.",
            "sanctions-new",
            {"target": ["Narva Marine Services", "Pavel Lindqvist"]},
        ),
        (  # who announced it, hung off the last name as its apposition, is no target
            "",
            "London has imposed sanctions on the foundry Brest Precision Castings and its owner, businessman "
            "Pavel Sidorenko, the UK Foreign Office announced on Monday.",
            "sanctions-new",
            {"target": ["Brest Precision Castings", "Pavel Sidorenko"]},
        ),
        (  # "will have any assets … frozen": the subjects own them
            "",
            "Ottawa announced another round of sanctions on Monday.\n\nFormer deputy interior minister Zurab "
            "Meskhi and riot-police commander Giorgi Tsertsadze will have any assets in Canada frozen.",
            "sanctions-new",
            {"target": ["Giorgi Tsertsadze", "Zurab Meskhi"]},
        ),
        (  # a running total "since 2024" is no old sanction
            "",
            "New Zealand has imposed sanctions on 22 tankers it says belong to Russia's shadow fleet, bringing "
            "to 61 the number of vessels it has listed since 2024.",
            "sanctions-new",
            {"counts": {"vessels": 22}, "authority": "New Zealand"},
        ),
        (  # one target per semicolon item, the first after a colon, each after its description
            "",
            "The European Union imposed asset freezes on Thursday on three officials it holds responsible for "
            "the violent break-up of protests: the deputy interior minister, Zurab Giorgashvili; the head of "
            "the special tasks department, Levan Mindeli; and the capital's police chief, Irakli Berishvili.",
            "sanctions-new",
            {"target": ["Irakli Berishvili", "Levan Mindeli", "Zurab Giorgashvili"]},
        ),
        (  # where a party lives or is registered, and whose service it heads, are no targets
            "",
            "Switzerland on Wednesday froze the assets of commodities trader Zurab Kiknavelidze, 62, a resident "
            "of Baar, and of Kolkheti Metals AG of Zug.",
            "sanctions-new",
            {"target": ["Kolkheti Metals AG", "Zurab Kiknavelidze"]},
        ),
        (  # an inverted passive with one target per semicolon item
            "",
            "The UK sanctioned four intermediaries on Tuesday.\n\nDesignated, in the order of the notice, are "
            "Guangzhou Haoyue Electronic Technology Co., Ltd; Ararat Cargo Express CJSC; Vojvodina Trade Holding "
            "d.o.o.; and Dilshod Rustamovich Karimov, described as the network's financier.",
            "sanctions-new",
            {
                "target": [
                    "Ararat Cargo Express CJSC",
                    "Dilshod Rustamovich Karimov",
                    "Guangzhou Haoyue Electronic Technology Co., Ltd",
                    "Vojvodina Trade Holding d.o.o",  # the eval ignores a final full stop
                ]
            },
        ),
        (  # "asset freezes now apply to X": the source after the list is no target, a fine is no name
            "",
            "New Zealand announced a fresh tranche of Russia measures on Wednesday.\n\nTravel bans and asset "
            "freezes now apply to Pavel Igorevich Zudin; to Arkhangel Defence Trading JSC; and to the ship "
            "operator Primorsky Baltic Line LLC, the Ministry of Foreign Affairs and Trade said.",
            "sanctions-new",
            {
                "target": [
                    "Arkhangel Defence Trading JSC",
                    "Pavel Igorevich Zudin",
                    "Primorsky Baltic Line LLC",
                ]
            },
        ),
        (  # a company's name the model cut before its tail
            "",
            "The Office of Foreign Assets Control on Tuesday designated Marlowe Tide Shipping Ltd along with "
            "Qasr Al Bahr General Trading LLC of Dubai.",
            "sanctions-new",
            {"target": ["Marlowe Tide Shipping Ltd", "Qasr Al Bahr General Trading LLC"]},
        ),
        (  # a partitive count: the number heads "two of its directors"
            "",
            "Britain on Wednesday sanctioned a Hong Kong shipowner and two of its directors.",
            "sanctions-new",
            {"counts": {"people": 2}, "authority": "Britain"},
        ),
        (
            "",
            "Harbour Line Logistics and its owner, Ivan Petrov, were added to the Specially Designated "
            "Nationals list by the Treasury on Friday.",
            "sanctions-new",
            {"target": ["Harbour Line Logistics", "Ivan Petrov"]},
        ),
        (
            "",
            "The chancellors of Austria and Germany will meet in Vienna next week.",
            "summit-status",
            {"leaders": ["Austria", "Germany"], "state": "planned"},
        ),
        (  # a noun of the action: its "of" object is the target
            "",
            "The designation of Marlow Bay Shipping by the Treasury on Monday surprised its lenders.",
            "sanctions-new",
            {"target": ["Marlow Bay Shipping"]},
        ),
        (  # the parser leaves "on" without an object (it makes "Ltd" the relative clause's subject)
            "",
            "Washington slapped penalties on Thursday on Quayside Tankers Ltd, a Panama company that it said "
            "operated six old crude carriers.",
            "sanctions-new",
            {"target": ["Quayside Tankers Ltd"]},
        ),
        (  # "head of state" is an office; "counterpart" is one too; the city they meet in is not a leader
            "",
            "Zambia's head of state will travel to Lilongwe next week to meet his Malawian counterpart.",
            "summit-status",
            {"leaders": ["Malawi", "Zambia"], "state": "planned"},
        ),
        (  # demonyms of smaller countries resolve
            "",
            "The Croatian and Slovenian presidents have postponed their meeting in Zagreb.",
            "summit-status",
            {"leaders": ["Croatia", "Slovenia"], "state": "postponed"},
        ),
        (  # who met: the subject of what "two days of talks" hangs off
            "",
            "The presidents of Ghana and Togo signed a border accord on Friday after two days of talks in Lome.",
            "summit-status",
            {"leaders": ["Ghana", "Togo"], "state": "held"},
        ),
        (  # a wire dateline is left out of the parse: "Eleven entities" is the subject, not the place's
            "",
            "WASHINGTON — Eleven entities in Turkey and Armenia were added to the Entity List by the "
            "Commerce Department on Tuesday.",
            "sanctions-new",
            {"counts": {"companies": 11}, "authority": "Commerce Department"},
        ),
        (  # title-case datelines with a country and a date, and a colon dateline, are left out too
            "",
            "NAIROBI, Kenya, Apr 21 – The UN Security Council has imposed a travel ban and asset freeze on two "
            "militia commanders.",
            "sanctions-new",
            {"counts": {"people": 2}, "authority": "UN Security Council"},
        ),
        (
            "",
            "Accra, April 15 – Canada has imposed sanctions on a network of gold traders it says finances armed "
            "groups in the Sahel.",
            "sanctions-new",
            {"authority": "Canada"},
        ),
        (  # the object the parser made the subject of the report after it: "froze all assets held by X, … said"
            "",
            "Switzerland froze all assets held by Belarusian businessman Pavel Drozdov and his company Minskstal "
            "Holding, the State Secretariat for Economic Affairs said on Wednesday.",
            "sanctions-new",
            {"target": ["Minskstal Holding", "Pavel Drozdov"]},
        ),
        (  # holdings stand for their owners: "funds belonging to X", "interests in property of X"
            "",
            "Switzerland on Tuesday ordered the freezing of funds belonging to Bishkek-based Tamga Logistics LLC.",
            "sanctions-new",
            {"target": ["Tamga Logistics LLC"]},
        ),
        (
            "",
            "The Treasury on Tuesday blocked all property and interests in property of Sahel Ridge Mining Co, "
            "a Khartoum company.",
            "sanctions-new",
            {"target": ["Sahel Ridge Mining Co"]},
        ),
        (  # coordinated measures: the parser hangs "on X" off the last of them
            "",
            "The UN Security Council imposed an asset freeze, a travel ban and a targeted arms embargo on "
            "Jean-Marc Dorval, a gang leader.",
            "sanctions-new",
            {"target": ["Jean-Marc Dorval"]},
        ),
        (  # a list the parser hangs off the last of two counted objects
            "",
            "Switzerland on Friday added 31 individuals and 14 entities to its Russia sanctions list.",
            "sanctions-new",
            {"counts": {"people": 31, "companies": 14}, "authority": "Switzerland"},
        ),
        (  # "face asset freezes", parsed as a clause "asset freezes" of its own: who faces them is hit
            "",
            "Britain said Vadim Rusnac, a fugitive businessman, and Evrica Microfinance SRL, a lender, now face "
            "asset freezes.",
            "sanctions-new",
            {"target": ["Evrica Microfinance SRL", "Vadim Rusnac"]},
        ),
        (  # the same misread after "imposed": the measures land on what "on" names, the imposer acts
            "",
            "The European Union on Thursday imposed asset freezes and travel bans on a procurement ring that, "
            "according to its official journal, bought engines for attack drones.",
            "sanctions-new",
            {"authority": "European Union"},
        ),
        (  # a headline verb the parser read as a noun inside the name's phrase: the name is what follows
            "",
            "Britain sanctions Volkhov Maritime Ltd and its owner Arkady Semyrenko, accusing the firm of "
            "running ageing tankers.",
            "sanctions-new",
            {"target": ["Arkady Semyrenko", "Volkhov Maritime Ltd"]},
        ),
        (  # an apposition hung off the subject from beyond the object describes the object
            "",
            "The US Treasury on Tuesday imposed sanctions on Kestrel Avionics Ltd and Bright Harbour Trading, "
            "two Hong Kong-registered companies it accused of funnelling engines to Iran.",
            "sanctions-new",
            {"target": ["Bright Harbour Trading", "Kestrel Avionics Ltd"], "authority": "US Treasury"},
        ),
        (  # "Blocking sanctions" read as a gerund clause: the passive's "on" still names the targets
            "",
            "Blocking sanctions and visa bans were imposed on Levan Chikovani, a deputy interior minister, "
            "and on Giorgi Abashidze, who heads the riot police unit that broke up the demonstrations, a "
            "department spokesman said.",
            "sanctions-new",
            {"target": ["Giorgi Abashidze", "Levan Chikovani"]},
        ),
        (  # a dateline's month is no hedge ("may")
            "",
            "WASHINGTON, May 7 - The US Treasury on Thursday imposed sanctions on Brightway Semicon Trading Ltd.",
            "sanctions-new",
            {"target": ["Brightway Semicon Trading Ltd"]},
        ),
        (  # the meeting in one paragraph, the leaders by title in the next
            "",
            "A summit in Accra ended on Thursday with an agreement to extend a gas pipeline.\n\n"
            "The deal was signed by Ghana's President Kwabena Asante and Togolese President Komlan Adjovi.",
            "summit-status",
            {"leaders": ["Komlan Adjovi", "Kwabena Asante"], "state": "held"},
        ),
        (  # titles before a name are not part of it
            "",
            "Taoiseach Ciaran Mulcahy and Prime Minister Helen Ashworth met in Dublin on Monday.",
            "summit-status",
            {"leaders": ["Ciaran Mulcahy", "Helen Ashworth"], "state": "held"},
        ),
        (  # a place that only describes a party is not a target: "its Cayman Islands affiliate X"
            "",
            "The Treasury on Monday designated Harbour Line Logistics Ltd, its Cayman Islands affiliate "
            "Bluegate Holdings Inc and Ivo Marsh, a Riga freight forwarder.",
            "sanctions-new",
            {"target": ["Bluegate Holdings Inc", "Harbour Line Logistics Ltd", "Ivo Marsh"]},
        ),
        (  # ... nor the place after a name: "X, of Sharjah", "a smuggler from Zuwara"
            "",
            "Britain imposed sanctions on Kestrel Bay Trading FZE, of Sharjah, and Omar Haddad, a fuel "
            "smuggler from Misrata.",
            "sanctions-new",
            {"target": ["Kestrel Bay Trading FZE", "Omar Haddad"]},
        ),
        (  # hyphenated first names stay whole, and a hyphenated rank is a title
            "",
            "Ottawa has slapped sanctions on three prominent businessmen - Jean-Luc Moreau, Marie-Claire "
            "Baptiste and Henri Dorval - whom it accuses of arming the gangs.",
            "sanctions-new",
            {"target": ["Henri Dorval", "Jean-Luc Moreau", "Marie-Claire Baptiste"]},
        ),
        (
            "",
            "Britain on Tuesday sanctioned Lieutenant-Colonel Pavel Zarin, who commands the unit.",
            "sanctions-new",
            {"target": ["Pavel Zarin"]},
        ),
        (  # "and on Y" that the parser hangs off "said"; "three individuals including Z"; not who said it
            "",
            "Seoul imposed sanctions on Monday on Hanbit Ore Trading LLC, a Busan-based metals trader, and on "
            "its owner Park Dong-wook, the Finance Ministry said in a notice.",
            "sanctions-new",
            {"target": ["Hanbit Ore Trading LLC", "Park Dong-wook"]},
        ),
        (
            "",
            "Japan ordered an asset freeze on Friday against Kumgang Sea Trading Corp, a company it said earns "
            "foreign currency for North Korea, and against three individuals including the firm's Dalian-based "
            "agent, Kim Chol Su, Chief Cabinet Secretary Hiroshi Tanabe said.",
            "sanctions-new",
            {"target": ["Kim Chol Su", "Kumgang Sea Trading Corp"]},
        ),
        (  # "his company, X," that the parser made the subject of a later verb
            "",
            "Canada has imposed sanctions on Russian shipping executive Pavel Orlov and his Novorossiysk-based "
            "company, Azov Grain Transit LLC, accusing them of moving grain stolen from occupied parts of "
            "Ukraine, Global Affairs Canada announced Friday.",
            "sanctions-new",
            {"target": ["Azov Grain Transit LLC", "Pavel Orlov"]},
        ),
        (  # the office that acts, not the department that owns it
            "",
            "The Treasury Department's Office of Foreign Assets Control on Tuesday designated Harbour Line "
            "Logistics Ltd, accusing it of moving Iranian crude.",
            "sanctions-new",
            {"authority": "Office of Foreign Assets Control", "target": ["Harbour Line Logistics Ltd"]},
        ),
        (  # the body that publishes the listing is no target, nor is a dangling "and"
            "",
            "Switzerland on Friday froze the assets of Velora Trading AG, Nordkap Resources SA and the trader "
            "Gennady Morozko, the State Secretariat for Economic Affairs said.",
            "sanctions-new",
            {"target": ["Gennady Morozko", "Nordkap Resources SA", "Velora Trading AG"]},
        ),
        (  # "along with" joins one more target
            "",
            "Britain on Wednesday sanctioned Harbour Line Logistics, a Dubai-registered operator that it said "
            "managed nine ageing tankers, along with the company's director, Ivo Marsh, in a fresh attempt "
            "to squeeze Moscow's revenue.",
            "sanctions-new",
            {"target": ["Harbour Line Logistics", "Ivo Marsh"]},
        ),
        (  # counted among the group that was sanctioned, past a date the parser took for the object
            "",
            "Harbour Line Logistics and its chief executive, Ivo Marsh, were among 31 people and companies "
            "sanctioned by the European Union on Monday.",
            "sanctions-new",
            {"target": ["Harbour Line Logistics", "Ivo Marsh"]},
        ),
        (  # a capitalised plural office: "Heads" keeps its "s" as a lemma
            "",
            "The summit between the Heads of State of Tanzania and Kenya has been deferred.",
            "summit-status",
            {"leaders": ["Kenya", "Tanzania"], "state": "postponed"},
        ),
        (  # the rest of a name the model cut off ("Ramon Dizon" of "Ramon Dizon Villareal")
            "Manila talks",
            "Talks at Malacañang Palace wrapped up on Tuesday with six agreements.\n\nPresident Ramon Dizon "
            "Villareal welcomed his guest, President Hendra Wicaksono Putra of Indonesia, with full military "
            "honours before the two leaders went into a closed-door session.",
            "summit-status",
            {"leaders": ["Hendra Wicaksono Putra", "Ramon Dizon Villareal"], "state": "held"},
        ),
        (  # a nationality before an office and a name is not a leader; with no name it stands for the country
            "",
            "Prime Minister Aiko Tanabe will host South Korean President Park Min-ho in Osaka next week for "
            "a summit on chip supply chains.",
            "summit-status",
            {"leaders": ["Aiko Tanabe", "Park Min-ho"], "state": "planned"},
        ),
        (  # the plural nouns read as a verb that is the subject of "apply"
            "",
            "Travel bans and asset freezes will now apply to Marta Velikova, a judge at a Minsk district "
            "court, and Oleg Dubrava, a regional prosecutor, the Council of the European Union said.",
            "sanctions-new",
            {"target": ["Marta Velikova", "Oleg Dubrava"]},
        ),
        (  # the grammar gives a pronoun: the authority is the body's sanctioning body, not the headline's
            "US acts on fuel ring",
            "The US Treasury moved on Thursday against a fuel-smuggling ring on the northern border.\n\n"
            "It sanctioned Brasa Combustibles SA and its director, Ramiro Tejeda, saying the company "
            "resold stolen diesel.",
            "sanctions-new",
            {"target": ["Brasa Combustibles SA", "Ramiro Tejeda"], "authority": "US Treasury"},
        ),
        (  # the list hung off the object: the names are what comes before it, not after
            "",
            "The Commerce Department on Wednesday added Greywater Components Ltd, a Hong Kong electronics "
            "distributor, Lianyi Electronics Co and Vostok Semicon OOO of St Petersburg to its entity list, "
            "saying the three had diverted chips.",
            "sanctions-new",
            {"target": ["Greywater Components Ltd", "Lianyi Electronics Co", "Vostok Semicon OOO"]},
        ),
        (  # a headline's "RSF commander" stands in for the party only until the body names the parties
            "EU lists RSF commander and gold refiner",
            "BRUSSELS, June 12 - The European Union has added new names to its Sudan sanctions list.\n\n"
            "Those listed are Osman Saleh Idris, a field commander of the Rapid Support Forces, and Al-Qamar "
            "Gold Refining Company, a Khartoum-registered smelter.",
            "sanctions-new",
            {"target": ["Al-Qamar Gold Refining Company", "Osman Saleh Idris"]},
        ),
        (  # the meeting in one paragraph, its leaders by office and country in the next
            "",
            "The bilateral summit on sharing the river's water, which had been set for next Tuesday in Almaty, "
            "has been put off until the autumn.\n\nThe presidents of Kazakhstan and Kyrgyzstan were expected "
            "to approve a joint schedule for the reservoirs.",
            "summit-status",
            {"leaders": ["Kazakhstan", "Kyrgyzstan"], "state": "postponed"},
        ),
        (  # talks "first with full delegations" are still the leaders' own
            "",
            "Kim Jong Un met Vladimir Putin at the cosmodrome on Wednesday. Their talks, first with full "
            "delegations and then one on one, lasted more than four hours.",
            "summit-status",
            {"leaders": ["Kim Jong Un", "Vladimir Putin"], "state": "held"},
        ),
        (  # "political theatre" is no play
            "",
            "Andrzej Duda has cancelled a meeting with Volodymyr Zelensky planned for New York, a day after the "
            "Ukrainian leader accused partners of political theatre.",
            "summit-status",
            {"leaders": ["Andrzej Duda", "Volodymyr Zelensky"], "state": "cancelled"},
        ),
        (  # "the round targets X" after the sentence announcing the round
            "",
            "New Zealand announced a fresh round of Russia-related measures on Tuesday.\n\nThe round targets "
            "Polar Wake Freight LLC, a logistics company based in Murmansk, and its director, Pavel Lobanov. Any "
            "assets they hold in New Zealand are frozen.",
            "sanctions-new",
            {"target": ["Pavel Lobanov", "Polar Wake Freight LLC"]},
        ),
        (  # a table as text: one target per row, pooled with the names the grammar finds
            "UK Russia list: three new entries",
            "The UK added three entries to its Russia sanctions list on Wednesday, with the measures that "
            "apply to each.\n\nTarget | Type | Measures\nCaspian Line Ltd | entity | asset freeze\n"
            "Timur Nabiyev | individual | asset freeze, travel ban\nSevmor Fuel FZE | entity | asset freeze",
            "sanctions-new",
            {"target": ["Caspian Line Ltd", "Sevmor Fuel FZE", "Timur Nabiyev"]},
        ),
        (  # "on a plant … called X": the parser hangs "called" on the verb, not on the plant
            "",
            "Canada has put sanctions on a tractor plant in Minsk called Belagro Machinery Works.",
            "sanctions-new",
            {"target": ["Belagro Machinery Works"]},
        ),
        (  # "froze the assets of nine people and three companies": the parser coordinates the companies
            "",  # with the assets
            "Wellington on Friday froze the New Zealand assets of nine people and three companies linked to a "
            "smuggling ring.",
            "sanctions-new",
            {"counts": {"people": 9.0, "companies": 3.0}},
        ),
        (  # "received by" is a meeting of the two
            "",
            "Amadou Sall was received by Idrissa Kone at the presidential palace on Wednesday, where the two "
            "men signed a border accord.",
            "summit-status",
            {"leaders": ["Amadou Sall", "Idrissa Kone"], "state": "held"},
        ),
    ],
)
def test_the_mission_rules_read_the_parse_of_the_real_model(
    enrich: Enricher, title: str, text: str, rule: str, captures: dict[str, object]
) -> None:
    ruleset = load_rules([BUNDLED_RULES])
    article = article_from_text(text, title=title)
    found = {m.rule_id: m for m in ruleset.evaluate(article, enrich(article))}
    assert {name: found[rule].captures.get(name) for name in captures} == captures


@pytest.mark.parametrize(
    "text",
    [
        "The federation sanctioned the club for crowd trouble and fined its captain.",
        "The officially sanctioned race will start in Monza on Sunday.",
        "Northwind Petroleum denied violating sanctions.",
        "Exports fell 4% as sanctions bite, the statistics office said.",
        "The Union Cabinet on Wednesday sanctioned Rs 4,200 crore for a six-lane bridge across the river.",
        "The 2.4km route has been officially sanctioned by the council and police.",
        "CAF sanctions Raja Casablanca after crowd trouble at the semi-final.",
        "No new names or companies were added to the EU's lists on Monday, Hungary's foreign minister said.",
        "A Tallinn web-hosting company, Kiirpilv OU, was blacklisted on Monday by an international anti-spam "
        "register.",
        "Traders grew wary after warnings from Washington. No new measures against Armenian firms have been "
        "announced.",
        "Washington removed Corvina Shipping SA from its list on Wednesday. Corvina was first designated last "
        "October.",
        "When Anna Lind and Pavel Roth met at a lakeside villa in Geneva in June 2019, both spoke of calm.",
        "The Council on Thursday extended its sanctions until March, keeping asset freezes and travel bans on "
        "about 1,800 people and entities in place.",
        "Riverside Athletic and Harrowgate United drew 1-1 in Saturday's summit meeting at the top of the "
        "second division.",
        "The carmaker Veldmark has blacklisted a Czech brake supplier, Morava Brzdy, after a recall of 9,000 "
        "vehicles.",
        "A large email provider has blacklisted the sending servers of the marketing firm Brightline Media "
        "after spam complaints.",
        "A new history revisits the Geneva summit of 1985, where Ronald Reagan and Mikhail Gorbachev met for "
        "the first time.",
        '"Every option is on the table, including targeted sanctions against the individuals who seized '
        "power,\" the bloc's foreign policy chief said.",
    ],
)
def test_other_senses_and_bystanders_do_not_match(enrich: Enricher, text: str) -> None:
    ruleset = load_rules([BUNDLED_RULES])
    article = article_from_text(text)
    assert [m.rule_id for m in ruleset.evaluate(article, enrich(article))] == []


UNNAMED = """
version: 2
id: u
title: U
match:
  action: {phrases: [sanction], lemma: true}
  unnamed: {argument: {of: action, role: object, words: [companies]}}
condition: action and unnamed
"""


def test_a_participle_after_to_acts_on_nothing(rule_files: RuleFiles, enrich: Enricher) -> None:
    """The parser reads "exposure to sanctioned shipping companies" as an infinitive ("to sanction"); those
    companies were listed before, so they are no object of a new sanction."""
    rule_files.write("u.yaml", UNNAMED)
    ruleset = load_rules([rule_files.root])
    exposed = article_from_text(
        'The report had cited the Amman-based Cedar Mutual Insurance among firms with "indirect exposure" to '
        "sanctioned shipping companies through reinsurance contracts."
    )
    listed = article_from_text("Japan sanctioned three shipping companies on Friday.")
    assert [m.rule_id for m in ruleset.evaluate(exposed, enrich(exposed))] == []
    assert [m.rule_id for m in ruleset.evaluate(listed, enrich(listed))] == ["u"]


def test_a_count_its_stance_sets_aside_is_not_in_the_tally(rule_files: RuleFiles) -> None:
    rule_files.write(
        "s.yaml",
        SANCTIONS.replace(
            "    argument: {of: action, role: object, counts: {people: [people], companies: [firms, companies]}}\n",
            "    argument: {of: action, role: object, counts: {people: [people], companies: [firms, companies]}}\n"
            "    not_same_sentence_as: earlier\n"
            "  earlier: {phrases: [earlier version]}\n",
        ),
    )
    ruleset = load_rules([rule_files.root])
    text = "The EU blacklisted 11 people on Monday.\nAn earlier version said the EU blacklisted 14 people."
    article = article_from_text(text)
    [match] = ruleset.evaluate(article, enriched(article, (entity("EU", text, "ORG"),)))
    assert match.captures["counts"] == {"people": 11}


def test_a_nationality_that_imposes_stands_for_its_country(rule_files: RuleFiles) -> None:
    rule_files.write(
        "s.yaml", SANCTIONS.replace("entity: [ORG, GPE], proper_nouns: true}", "entity: [ORG, GPE, NORP]}")
    )
    ruleset = load_rules([rule_files.root])
    text = "Japanese officials blacklisted six firms on Monday."
    article = article_from_text(text)
    [match] = ruleset.evaluate(article, enriched(article, (entity("Japanese", text, "NORP"),)))
    assert match.captures["authority"] == "Japan"
