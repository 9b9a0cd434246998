"""What the members of a trigger name: proper-noun runs, entities, counts, offices and their countries.

``syntax_roles`` finds a trigger's members in the parse; this reads them: the names in a member's own phrase
("the trading house Arcadia Partners and its chairman, Ivan Petrov"), the number it counts ("14 people"), and
whether it is an office of a country ("the chancellors of Austria and Germany").
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from monitor.domain import EntitySpan, ParsedSentence
from monitor.rules.name_text import clean_name, not_a_name, without_titles
from monitor.rules.proper_noun_runs import TITLE_WORDS, adjectival, proper_runs
from monitor.rules.syntax_attributes import describes_a_noun, owns_a_named_body
from monitor.rules.syntax_lists import Member, own_tokens, pobjs
from monitor.rules.syntax_reports import speaker_phrase
from monitor.rules.syntax_tree import kids, lemma_of, subtree
from monitor.rules.syntax_words import (
    COUNTRIES,
    DEMONYMS,
    DESCRIPTIVE_ENDINGS,
    LIST_NAMES,
    LISTING_BODIES,
    SUFFIX_WORDS,
    person_shaped,
    place_or_title,
)

_NOT_NAMES = frozenset({"GPE", "NORP", "LOC", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT"})


def label_of(entity: EntitySpan) -> str:
    """The entity's label, GPE for a country name the model labelled otherwise ("Mozambique" as ORG)."""
    if entity.label in {"ORG", "PERSON", "LOC", "FAC"} and clean_name(entity.text).lower() in COUNTRIES:
        return "GPE"
    return entity.label


def member_span(sentence: ParsedSentence, member: Member) -> tuple[int, int]:
    own = member.own(sentence) or own_tokens(sentence, member.head)
    tokens = sentence.tokens
    first = next((i for i in own if tokens[i].pos not in {"DET", "PUNCT"}), own[0])
    return tokens[first].start, tokens[own[-1]].end


def has_words(sentence: ParsedSentence, member: Member, words: Sequence[str]) -> bool:
    """Whether the member's head noun, or that of its "of" phrase ("a network **of traders**"), is one of
    ``words``: the words before the head describe it ("the capital's **police** chief" is a chief, not the
    police acting) and the clauses after it are other things."""
    wanted = {w.lower() for w in words}
    heads = [member.head, *pobjs(sentence, member.head, frozenset({"of"}))]
    return any(
        lemma_of(sentence.tokens[i]) in wanted or sentence.tokens[i].text.lower() in wanted for i in heads
    )


def names_in(
    sentence: ParsedSentence,
    member: Member,
    entities: Sequence[EntitySpan],
    labels: Sequence[str] | None,
    proper_nouns: bool,
    canonical: bool = False,
) -> list[tuple[int, int, str, str]]:
    """(start, end, name, label) of the names in the member's own phrase.

    A name is an entity with one of ``labels``, or — with ``proper_nouns`` — a run of capitalised words
    holding a proper noun that the entity recogniser missed or cut short ("Sable Bay Commodities" where it
    saw "Bay Commodities"). Runs that are only a place or a nationality are not names; neither is a name
    used as an adjective ("a Cyprus-registered trader").
    """
    own = member.own(sentence)
    ranges = [(sentence.tokens[i].start, sentence.tokens[i].end) for i in own]
    inside = [e for e in entities if any(s <= e.start < t or e.start <= s < e.end for s, t in ranges)]
    found: dict[tuple[int, int], tuple[int, int, str, str]] = {}
    used: set[int] = set()
    headline = _title_case(sentence)
    if headline:  # in a Title Case headline only watch-listed names are names
        inside = [e for e in inside if e.canonical is not None]
    runs = [] if headline else proper_runs(sentence, own)
    for start, end, text in runs:
        overlapping = [e for e in inside if e.start < end and start < e.end]
        used.update(id(e) for e in overlapping)
        wanted = [e for e in overlapping if labels is None or label_of(e) in labels]
        if wanted:
            longest = max(wanted, key=lambda e: e.end - e.start)
            if canonical and longest.canonical:
                found[(longest.start, longest.end)] = (
                    longest.start,
                    longest.end,
                    longest.canonical,
                    label_of(longest),
                )
            elif proper_nouns and end - start > longest.end - longest.start:
                found[(start, end)] = (start, end, clean_name(text), label_of(longest))
            else:
                found[(longest.start, longest.end)] = (
                    longest.start,
                    longest.end,
                    clean_name(longest.text),
                    label_of(longest),
                )
        elif proper_nouns and (_only_places(overlapping, start, end) or _names_a_person(sentence, member)):
            found[(start, end)] = (start, end, clean_name(text), "PROPN")
        elif proper_nouns and _titled_person(sentence, start, text, labels):
            found[(start, end)] = (start, end, clean_name(text), "PERSON")  # "President X" read as an ORG
        elif proper_nouns and _person_read_as_place(sentence, member, entities, overlapping, text, labels):
            found[(start, end)] = (start, end, clean_name(text), "PERSON")
    for entity in inside:
        labelled = labels is None or label_of(entity) in labels
        if id(entity) not in used and labelled and not adjectival(sentence, entity.end):
            found[(entity.start, entity.end)] = (
                entity.start,
                entity.end,
                entity.canonical if canonical and entity.canonical else clean_name(entity.text),
                label_of(entity),
            )
    speaker = speaker_phrase(sentence)
    people = labels is not None and set(labels) == {"PERSON"}  # "Belarus Aleksandr Lukashenko" (PROPN run)
    named = (
        (
            start,
            end,
            without_titles(name)
            if label == "PERSON" or (people and label == "PROPN") or _ranked(name)
            else name,
            label,
        )
        for start, end, name, label in found.values()
        if name[:1].isupper()
        and not (speaker and speaker[0] <= start < speaker[1])
        and not _dateline(sentence, start, name)
        and not _header_cell(sentence, start, name)
        and not not_a_name(name)
        and not _place_word(name, labels)
        and not _no_party(name, labels)
        and not any(word in LIST_NAMES for word in _words_of(name))
    )
    return sorted(entry for entry in named if not not_a_name(entry[2]))  # "Samdech Moha Borvor": titles only


def _ranked(name: str) -> bool:
    """A military rank or a personal title before two or more words is a person's title whatever the model
    called the name ("Major Ilya Brantsev", "Daw Khin Myo Thant" as an ORG); a lone "General" is not, because
    companies start so ("General Trading")."""
    words = name.split()
    parts = [part.lower().rstrip(".") for part in words[0].split("-")] if words else []
    return len(words) >= 3 and parts not in (["general"], ["gen"]) and all(part in _RANKS for part in parts)


_RANKS = frozenset(
    """major maj colonel col lieutenant lt brigadier brig admiral adm rear vice sergeant sgt captain capt
    general gen mr mrs ms daw sheikh haji alhaji""".split()  # noqa: SIM905
)


def _words_of(name: str) -> set[str]:
    words = name.lower().split()
    return {*words, *(" ".join(pair) for pair in pairwise(words))}


def only_describes(sentence: ParsedSentence, start: int, end: int, labels: Sequence[str] | None) -> bool:
    """Whether the name at [start, end) is no party but a description of one: the possessor of another name
    ("the Treasury Department's Office of …"), or, where only companies and people are wanted, a place or
    company qualifying a noun ("its Marshall Islands affiliate X", "a smuggler from Zuwara")."""
    if (labels is None or "ORG" in labels) and owns_a_named_body(sentence, start, end):
        return True  # bodies, not people: "Egypt's al-Sisi" is no description of Egypt
    if _parties_only(labels) and _body_named(sentence, start, end) in LISTING_BODIES:
        return True  # "published in the Official Journal", "the Foreign Office said": not a party
    return _parties_only(labels) and describes_a_noun(sentence, start, end)


def _body_named(sentence: ParsedSentence, start: int, end: int) -> str:
    written = " ".join(t.text for t in sentence.tokens if start <= t.start < end)
    return written.lower().removeprefix("the ").rstrip(".")


def _parties_only(labels: Sequence[str] | None) -> bool:
    """Only companies and people are wanted (a target, a participant): places are never the party."""
    return labels is not None and "GPE" not in labels and "NORP" not in labels


def _no_party(name: str, labels: Sequence[str] | None) -> bool:
    """Where only companies and people are wanted: a description ("Tula-based") or a bare company suffix
    ("Trading LLC", "Pvt")."""
    if not _parties_only(labels):
        return False
    lowered = name.lower().rstrip(".")
    words = lowered.replace(",", " ").split()
    return lowered.endswith(DESCRIPTIVE_ENDINGS) or all(word.rstrip(".") in SUFFIX_WORDS for word in words)


def _place_word(name: str, labels: Sequence[str] | None) -> bool:
    """A nationality, a country, a place or a title where only companies and people are wanted: "a
    Georgian trader", "Bangladeshi", "Rabat", "Lt"."""
    if not _parties_only(labels):
        return False
    lowered = name.lower().rstrip(".")
    return lowered in DEMONYMS or lowered in COUNTRIES or place_or_title(name)


def _dateline(sentence: ParsedSentence, start: int, name: str) -> bool:
    """The place a wire story opens with ("HANOI —", "LUXEMBOURG, Oct 2 (Reuters) -"): capitals that begin
    the sentence, then a comma, dash or parenthesis."""
    tokens = sentence.tokens
    if not tokens or not tokens[0].text.isupper() or start < tokens[0].start:
        return False
    if tokens[0].start == start and name.isupper():
        after = next((t for t in tokens if t.start >= start + len(name)), None)
        return after is not None and after.text[:1] in {",", "—", "–", "-", "(", ":"}
    for index, token in enumerate(tokens[1:_DATELINE_TOKENS], 1):  # "SAN JOSÉ, Costa Rica — The …": the
        if token.text in {"—", "–", "-"} and token.start >= start + len(name):  # place after the capitals
            return any(t.text == "," for t in tokens[1:index]) and all(
                t.pos in {"PROPN", "PUNCT", "NUM"} for t in tokens[:index]
            )  # a dateline has names, numbers and punctuation only, up to its dash
        if token.start >= start + len(name) and token.pos not in {"PROPN", "PUNCT", "NUM"}:
            return False
    return False


def _header_cell(sentence: ParsedSentence, start: int, name: str) -> bool:
    """A name on a slug line ("AUTO-BRIEF | UK | Sanctions", "MERIDIAN ALERT | Switzerland | Asset freeze"):
    an alert service's header names its feed and its topic, never who acts or whom it hits."""
    tokens = sentence.tokens
    first = next((index for index, token in enumerate(tokens) if token.text == "|"), 0)
    slug = [token.text for token in tokens[:first]]
    if not slug or sum(t.text == "|" for t in tokens) < 2 or not all(w.isupper() or w in "-–" for w in slug):
        return False  # a table row ("X Ltd | entity | asset freeze") has a name, not a slug, first
    line_end = next((t.start for t in tokens[first:] if "\n" in t.text), sentence.end)
    return start < line_end


_DATELINE_TOKENS = 10  # "LONDON, Oct 13 (Continental Press) -"


def _title_case(sentence: ParsedSentence) -> bool:
    """A headline in Title Case ("Russian Oil Companies Disrupt Exports"): capitals say nothing there."""
    words = [
        t
        for t in sentence.tokens[1:]
        if t.text[:1].isalpha() and len(t.text) > 3 and t.pos in {"NOUN", "VERB", "ADJ"}
    ]
    if len(words) >= 2 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words):
        return True
    longer = [t for t in sentence.tokens[1:] if t.text[:1].isalpha() and len(t.text) > 3]
    return len(longer) >= 4 and all(t.text[:1].isupper() for t in longer)  # tagged all PROPN


PERSON_NOUNS = frozenset(
    """broker trader businessman businesswoman executive director official officer chairman chairwoman
    president owner founder financier oligarch banker manager deputy chief commander general minister
    lawyer accountant smuggler dealer associate partner son daughter wife husband brother nephew""".split()  # noqa: SIM905
)
"""Nouns whose appositive is a person, whatever the recogniser said: "an arms broker, Dragan Milosavljević"."""


def _names_a_person(sentence: ParsedSentence, member: Member) -> bool:
    token = sentence.tokens[member.head]
    if token.dep != "appos" or token.head == member.head:
        return False
    return lemma_of(sentence.tokens[token.head]) in PERSON_NOUNS


def _titled_person(sentence: ParsedSentence, start: int, text: str, labels: Sequence[str] | None) -> bool:
    """A name after a title, where only people are wanted: "Kazakh President Kassym-Jomart Tokayev", which
    the model may call an organisation."""
    if labels is None or set(labels) != {"PERSON"} or not person_shaped(text):
        return False
    before = [t for t in sentence.tokens if t.end <= start]
    return bool(before) and before[-1].text.lower().rstrip(".") in TITLE_WORDS


def _person_read_as_place(
    sentence: ParsedSentence,
    member: Member,
    entities: Sequence[EntitySpan],
    overlapping: Sequence[EntitySpan],
    text: str,
    labels: Sequence[str] | None,
) -> bool:
    """ "… on Jean-Baptiste Delvaux and Wilfrid Saintil": the model calls the second a place. A name shaped
    like a person's, that no list knows as a place, joined by "and" to a name shaped like a person's that the
    model does not call a place, is a person too ("Port Sudan and Puerto Cabello" stay places)."""
    if labels is None or "PERSON" not in labels or not overlapping:
        return False
    if (
        not all(e.label in {"GPE", "LOC"} for e in overlapping)
        or not person_shaped(text)
        or place_or_title(text)
    ):
        return False
    if text.lower() in COUNTRIES or text.lower() in DEMONYMS:
        return False
    head = sentence.tokens[member.head]
    if head.dep != "conj":
        return False
    sibling = sentence.tokens[head.head]
    return any(
        e.start <= sibling.start < e.end and e.label not in _NOT_NAMES and person_shaped(e.text)
        for e in entities
    )


def _only_places(overlapping: Sequence[EntitySpan], start: int, end: int) -> bool:
    """No entity, or only places/nationalities/dates inside a longer run ("Gulf Star Shipping")."""
    if not overlapping:
        return True
    covered = sum(min(e.end, end) - max(e.start, start) for e in overlapping)
    return all(e.label in _NOT_NAMES for e in overlapping) and covered < (end - start) - 1


def number_of(sentence: ParsedSentence, index: int) -> str | None:
    """The number counting a noun ("14 people", "six firms", "two dozen traders"), as written."""
    for child in kids(sentence, index, "nummod"):
        words = sorted(subtree(sentence, child))
        return " ".join(sentence.tokens[i].text for i in words)
    return None
