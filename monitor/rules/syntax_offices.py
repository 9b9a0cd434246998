"""Leaders named by their office: whether an argument is an office ("the prime ministers", "Ghana's head
of state") and which countries it belongs to ("Uganda's president", "the chancellors of Austria and
Germany", "their presidents" after "Chile and Peru"). The summit rule reports those countries when no
leader is named."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from monitor.domain import EntitySpan, ParsedSentence
from monitor.rules.name_text import clean_name
from monitor.rules.syntax_lists import Member, pobjs
from monitor.rules.syntax_names import label_of
from monitor.rules.syntax_tree import kids, lemma_of, subtree
from monitor.rules.syntax_words import COUNTRY_NAMES, DEMONYMS


def is_office(sentence: ParsedSentence, member: Member, offices: Sequence[str]) -> bool:
    """Whether the member is an office: its head with its compounds ends in one ("the prime ministers")."""
    head = sentence.tokens[member.head]
    words = [sentence.tokens[i] for i in kids(sentence, member.head, "compound", "amod") if i < member.head]
    written = " ".join([*(t.text.lower() for t in words), lemma_of(head)])
    plural = " ".join([*(t.text.lower() for t in words), head.text.lower()])
    of_what = [sentence.tokens[i].text.lower() for i in pobjs(sentence, member.head, frozenset({"of"}))]
    if lemma_of(head) in {"head", "heads"} and of_what:  # "Ghana's head of state": the whole phrase; a
        before = [t.text.lower() for t in words]  # capitalised "Heads of State" keeps its "s" as a lemma
        written = plural = " ".join([*before, "head of", of_what[0]])
    return any(
        phrase == office or phrase.endswith(" " + office)
        for office in offices
        for phrase in (written, plural)
    )


def office_countries(
    sentence: ParsedSentence, index: int, entities: Sequence[EntitySpan]
) -> list[tuple[int, int, str, str]]:
    """The countries of an office: "Uganda's president", "the chancellors of Austria and Germany",
    "the Chilean president"; for "their presidents", the countries named as the clause's subject."""
    places: list[int] = []
    for child in kids(sentence, index, "poss", "compound", "amod", "nmod"):
        places += subtree(sentence, child)
    for pobj in pobjs(sentence, index, frozenset({"of"})):
        places += subtree(sentence, pobj)
    found = _countries_at(sentence, places, entities)
    pronoun = any(lemma_of(sentence.tokens[c]) in {"their", "its"} for c in kids(sentence, index, "poss"))
    if not found and pronoun:
        subjects = [i for i, t in enumerate(sentence.tokens) if t.dep in {"nsubj", "nsubjpass"}]
        found = _countries_at(sentence, [j for s in subjects for j in subtree(sentence, s)], entities)
    return found


def _countries_at(
    sentence: ParsedSentence, places: Sequence[int], entities: Sequence[EntitySpan]
) -> list[tuple[int, int, str, str]]:
    ranges = [(sentence.tokens[i].start, sentence.tokens[i].end) for i in places]
    joined = [  # "the presidents of Ghana and Côte d'Ivoire": a name coordinated with a place is one too
        (sentence.tokens[i].start, sentence.tokens[i].end) for i in places if sentence.tokens[i].dep == "conj"
    ]
    found = []
    for entity in entities:
        label = label_of(entity)
        if not any(s <= entity.start < e for s, e in ranges):
            continue
        country = country_named(entity.text)
        if country:  # "Cote d'Ivoire's president", its name read as a person's
            found.append((entity.start, entity.end, country, "GPE"))
            continue
        if label not in {"GPE", "NORP"} and not (
            label == "ORG" and any(s < entity.end and entity.start < e for s, e in joined)
        ):
            continue
        name = clean_name(entity.canonical or entity.text)
        if label == "NORP" or name.lower() in DEMONYMS:  # "the Honduran president", read as a place too
            name = DEMONYMS.get(name.lower(), "")
        if name:
            found.append((entity.start, entity.end, name, label))
    covered = [(start, end) for start, end, *_ in found]
    for index in places:  # a country the entity model missed ("ABUJA, Oct 7 - Nigeria's president"), or
        token = sentence.tokens[index]  # the partner of one it found ("the Kazakh and Uzbek presidents")
        country = COUNTRY_NAMES.get(token.text.lower()) or (
            DEMONYMS.get(token.text.lower()) if found else None
        )
        if country and token.pos in {"PROPN", "ADJ"} and not any(s <= token.start < e for s, e in covered):
            found.append((token.start, token.end, country, "GPE"))
    if all(label == "ORG" for *_, label in found):
        return []  # companies joined to companies are not countries
    return found


def country_named(text: str) -> str | None:
    """The country a name spells, accents and a possessive aside: "Cote d'Ivoire's" → "Côte d'Ivoire"."""
    key = _folded(_POSSESSIVE.sub("", text.strip()))
    return _FOLDED_COUNTRIES.get(key)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_POSSESSIVE = re.compile(r"['’]s$")
_FOLDED_COUNTRIES = {_folded(key): name for key, name in COUNTRY_NAMES.items()}
