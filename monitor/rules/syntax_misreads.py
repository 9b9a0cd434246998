"""Where the small English model's parse is wrong in a known, recurring way, and how the walks read it anyway.

Each test recognises one misreading from the shape of the tree around a trigger ("face asset freezes" as a
clause of its own, a headline verb read as a noun inside the name it governs, a past participle read as an
adjective of the name after it, an apposition hung off the wrong noun); ``syntax_roles`` decides what the
arguments are when one of them holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.domain import ParsedSentence
from monitor.rules.syntax_reports import REPORTING_VERBS
from monitor.rules.syntax_tree import is_verb, kids, lemma_of, subtree
from monitor.rules.syntax_words import TARGETING_VERBS

HEADLINE_VERBS = frozenset({"sanctions", "blacklists", "designates", "freezes", "bans", "targets", "lists"})
LISTING_VERBS = frozenset({"place", "add", "put", "include", "move", "insert", "enter", "list"})


def headline_verb(sentence: ParsedSentence, trigger: int) -> bool:
    """A present-tense verb of headline style the parser read as a noun modifying what follows: "Britain
    sanctions Volkhov Maritime Ltd", "UK sanctions 9 people" (a compound of "Ltd", of "people"), with the
    name of who acts glued before it and a name or a count right after it (not "EU sanctions package",
    "US sanctions chief Jane Doe")."""
    token = sentence.tokens[trigger]
    if token.pos != "NOUN" or token.text.lower() not in HEADLINE_VERBS or trigger == 0:
        return False
    if token.dep not in {"compound", "nmod"} or token.head <= trigger:
        return False
    before, after = sentence.tokens[trigger - 1], sentence.tokens[trigger + 1]
    named_next = after.pos == "NUM" or (after.pos == "PROPN" and after.text[:1].isupper())
    return named_next and before.pos == "PROPN" and before.head in {trigger, token.head}


def noun_read_as_clause(sentence: ParsedSentence, trigger: int) -> bool:
    """A plural noun the parser read as a clause of its own, its first word the subject: "face asset
    freezes" parsed as "[they] face [that] asset freezes" (no object, the noun before it as subject)."""
    token = sentence.tokens[trigger]
    before = trigger - 1
    return (
        is_verb(token)
        and token.dep in {"ccomp", "xcomp", "conj"}
        and token.head != trigger
        and before >= 0
        and sentence.tokens[before].dep == "nsubj"
        and sentence.tokens[before].head == trigger
        and sentence.tokens[before].pos == "NOUN"
        and not kids(sentence, trigger, "dobj")
    )


def verb_read_as_subject(sentence: ParsedSentence, trigger: int) -> int | None:
    """The targeting verb whose subject is a plural noun the parser read as a verb: "Travel bans and asset
    freezes will now apply to X" ("freezes" a verb, the subject of "apply"); None when not so misread."""
    token = sentence.tokens[trigger]
    if not is_verb(token) or token.dep not in {"nsubj", "nsubjpass"} or token.head == trigger:
        return None
    return token.head if lemma_of(sentence.tokens[token.head]) in TARGETING_VERBS else None


def misread_as_adjective(sentence: ParsedSentence, trigger: int) -> bool:
    """A past-tense verb the parser made an adjective of the name after it: it follows the clause's subject
    ("… on Tuesday designated Tengri Logistics LLC"), not a determiner or adverb ("the newly sanctioned X")."""
    token = sentence.tokens[trigger]
    if (
        token.dep != "amod"
        or token.head <= trigger
        or sentence.tokens[token.head].pos != "PROPN"
        or trigger == 0
    ):
        return False
    return sentence.tokens[trigger - 1].pos in {"PROPN", "NOUN"}


def subject_read_as_root(sentence: ParsedSentence, trigger: int) -> list[int]:
    """The first of two passive subjects that the parser made the sentence's root: "X, a money-changing
    firm with branches in Beirut, and its proprietor Y were sanctioned" (X the root, "sanctioned" its
    conjunct, only Y its subject): X was sanctioned too."""
    token = sentence.tokens[trigger]
    head = sentence.tokens[token.head]
    if (
        token.dep != "conj"
        or head.pos != "PROPN"
        or head.dep != "ROOT"
        or token.head >= trigger
        or not kids(sentence, trigger, "nsubjpass")
        or not any(sentence.tokens[k].text.lower() == "and" for k in kids(sentence, token.head, "cc"))
    ):
        return []
    return [token.head]


def participle_after_to(sentence: ParsedSentence, trigger: int) -> bool:
    """A participle after "to" that the parser read as an infinitive: "exposure to sanctioned shipping
    companies" acts on no one (an infinitive is "to sanction"); those companies were listed before."""
    token = sentence.tokens[trigger]
    return (
        token.text.lower().endswith("ed")
        and any(sentence.tokens[k].text.lower() == "to" for k in kids(sentence, trigger, "aux"))
        and not kids(sentence, trigger, "auxpass")  # "to be sanctioned" is an infinitive
    )


def stray_apposition(sentence: ParsedSentence, trigger: int, role: str, head: int, member: int) -> bool:
    """An apposition the parser hung off the subject from beyond the trigger: "The US Treasury imposed
    sanctions on X and Y, two Hong Kong companies it accused of ..." (the companies are X and Y, not the
    Treasury); a subject's own apposition comes before the trigger ("The EU, a bloc of 27, imposed")."""
    return (
        role == "subject"
        and head < trigger < member
        and sentence.tokens[member].dep == "appos"
        and sentence.tokens[member].head < trigger
    )


def repeated_preposition(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """Objects of a preposition repeated after "and" that the parser hung elsewhere: "imposed sanctions on
    X, a Moscow-based trader, and on its owner Y, the ministry said" (its "on Y" made part of "said")."""
    found: list[int] = []
    tokens = sentence.tokens
    for head in heads:
        preposition = tokens[head].head if tokens[head].dep == "pobj" else _orphaned_by(sentence, head)
        if preposition is None or preposition == head:
            continue
        word = tokens[preposition].text.lower()
        for index in range(head + 1, len(tokens)):
            if tokens[index].text.lower() != word or tokens[index].dep not in {"prep", "conj"}:
                continue
            before = [t.text.lower() for t in tokens[max(0, index - 2) : index] if t.text != ","]
            joined = before[-1:] in (["and"], ["or"]) or before[-2:] == ["well", "as"]  # "as well as on"
            if joined and tokens[index].head != preposition:
                found += kids(sentence, index, "pobj")
    return [index for index in found if index not in heads]


def _orphaned_by(sentence: ParsedSentence, head: int) -> int | None:
    """The preposition right before a name the parser gave another role ("on X Ltd, a company that it said
    operated …": X made the subject of "operated"), as ``orphan_object`` found it."""
    first = head
    while (
        first > 0
        and sentence.tokens[first - 1].dep == "compound"
        and sentence.tokens[first - 1].pos == "PROPN"
    ):
        first -= 1
    if first > 0 and sentence.tokens[first - 1].pos == "ADP" and not kids(sentence, first - 1, "pobj"):
        return first - 1
    return None


def along_with(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """Objects joined by "along with" / "together with" / "alongside" / "as well as": "sanctioned X, a
    Dubai-registered operator that …, along with the company's director, Y" (the parser hangs "with Y" off a
    later word), "designated X, a trading house that …, as well as its general manager, Y" ("manager" a
    conjunct of a verb inside the description)."""
    if not heads:
        return []
    tokens = sentence.tokens
    found: list[int] = []
    for index in range(min(heads) + 1, len(tokens) - 1):
        word = tokens[index].text.lower()
        if word == "alongside" or (
            word == "with" and tokens[index - 1].text.lower() in {"along", "together"}
        ):
            found += kids(sentence, index, "pobj")  # "… were sanctioned, alongside the steelmaker X"
        elif (
            word == "as"
            and index >= 2
            and [t.text.lower() for t in tokens[index - 2 : index]] == ["as", "well"]
        ):
            found += _conjunct_after(sentence, index)
    return [index for index in found if index not in heads]


def _conjunct_after(sentence: ParsedSentence, index: int) -> list[int]:
    """The conjunct a coordinator at ``index`` introduces: its noun after a determiner, possessive or
    adjectives, climbed to the head of a name ("as well as Kestrel Maritime FZE")."""
    tokens = sentence.tokens
    start = index + 1
    while start < len(tokens) and start - index <= 4 and tokens[start].pos in {"DET", "PRON", "ADJ", "NUM"}:
        start += 1
    if start >= len(tokens) or tokens[start].pos not in {"NOUN", "PROPN"}:
        return []
    while tokens[start].dep == "compound" and start < tokens[start].head <= start + 4:
        start = tokens[start].head
    return [start] if tokens[start].dep == "conj" else []


_POSSESSIVES = frozenset({"its", "his", "her", "their"})


def its_role_after(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """The person after ", and its owner" that the parser hung elsewhere: "a freeze on the assets of X AG, a
    Zug-based trader, and its owner Y, bringing …" (Y made the subject of "bringing"): the name that follows
    a party's own phrase, "and", a possessive and up to three lower-case words of a role."""
    tokens = sentence.tokens
    found: list[int] = []
    for head in heads:
        index = max(subtree(sentence, head)) + 1
        if index < len(tokens) and tokens[index].text == ",":
            index += 1
        if index + 2 >= len(tokens) or tokens[index].text.lower() != "and":
            continue
        if tokens[index + 1].text.lower() not in _POSSESSIVES:
            continue
        index += 2
        role = index
        while (
            index < len(tokens)
            and index - role < 3
            and tokens[index].text.isalpha()
            and tokens[index].text.islower()
        ):
            index += 1
        if index == role or index >= len(tokens):
            continue
        if tokens[index].text == ",":
            index += 1
        name = index
        while index < len(tokens) and tokens[index].pos == "PROPN":
            index += 1
        if index > name and not any(index - 1 in subtree(sentence, other) for other in heads):
            found.append(index - 1)
    return [index for index in found if index not in heads]


def name_after_comma(sentence: ParsedSentence, member: int) -> int | None:
    """The name right after a described party and a comma that the parser hung elsewhere: "… and his
    Novorossiysk-based company, Azov Bulk Transit LLC, accusing them …" (made the subject of a later verb).
    Not a report's source: "…, the Foreign Office said"."""
    tokens = sentence.tokens
    comma = member + 1
    if tokens[member].pos != "NOUN" or comma + 1 >= len(tokens) or tokens[comma].text != ",":
        return None
    end = comma + 1
    while end < len(tokens) and tokens[end].pos == "PROPN" and tokens[end].dep == "compound":
        end += 1
    if end >= len(tokens) or tokens[end].pos != "PROPN" or tokens[end].head == member:
        return None
    after = tokens[end + 1] if end + 1 < len(tokens) else None
    if after is None or after.text not in {",", "."}:
        return None
    following = tokens[end + 2] if end + 2 < len(tokens) else None
    if following is not None and following.pos == "VERB" and lemma_of(following) in REPORTING_VERBS:
        return None
    return end


def name_after_title(sentence: ParsedSentence, member: int) -> int | None:
    """The name right after a described party that the parser made an argument of its own: "imposed
    sanctions on Cambodian tycoon Oknha Lim Sovannarith and his company" ("tycoon" the object of "on", the
    name a second object of "imposed"), or the subject of a later verb: "sanctions on the foundry Mogilev
    Precision Castings and its owner, …, the Office announced"."""
    tokens = sentence.tokens
    if tokens[member].pos != "NOUN" or member + 1 >= len(tokens) or tokens[member + 1].pos != "PROPN":
        return None
    index = member + 1
    while tokens[index].dep == "compound" and index < tokens[index].head <= index + 4:
        index = tokens[index].head
    if tokens[index].pos != "PROPN" or tokens[index].head == member or tokens[index].dep == "compound":
        return None
    if tokens[index].dep in {"nsubj", "nsubjpass"}:
        return index if tokens[index].head > index else None
    return index if tokens[index].dep in {"dobj", "npadvmod", "appos", "dep"} else None


_NAMING = frozenset({"called", "named", "dubbed"})


def name_after_called(sentence: ParsedSentence, member: int) -> int | None:
    """The name a participle gives a described party when the parser hung the participle on the main verb:
    "put sanctions on an oil refinery in China called Jinhai Star Petrochemical Co." ("called" an adverbial
    clause of "put", its name no part of the refinery's phrase). The participle must follow the party's
    phrase at once (a comma between them allowed)."""
    tokens = sentence.tokens
    if tokens[member].pos != "NOUN":
        return None
    after = max(subtree(sentence, member)) + 1
    if after < len(tokens) and tokens[after].text == ",":
        after += 1
    if after >= len(tokens):
        return None
    verb = tokens[after]
    if verb.pos != "VERB" or verb.dep not in {"advcl", "conj"} or verb.text.lower() not in _NAMING:
        return None
    names = [c for c in kids(sentence, after, "oprd", "dobj", "attr") if tokens[c].pos == "PROPN"]
    return names[0] if names else None


def orphan_object(sentence: ParsedSentence, prep: int) -> list[int]:
    """The name right after a preposition the parser left without an object ("slapped penalties on
    Thursday on Everbright Harbour Tankers Ltd, a company that …": it made "Ltd" the subject of the
    relative clause): the compound run that starts there, up to its head."""
    index = prep + 1
    if index >= len(sentence.tokens) or sentence.tokens[index].pos != "PROPN":
        return []
    while sentence.tokens[index].dep == "compound" and index < sentence.tokens[index].head <= index + 4:
        index = sentence.tokens[index].head
    return [index] if sentence.tokens[index].pos == "PROPN" else []


def counted_among(sentence: ParsedSentence, group: int) -> list[int]:
    """The subjects counted among a group (``group``: its first conjunct): "X and Y were among 48 people
    and companies sanctioned by the EU"."""
    token = sentence.tokens[group]
    preposition = sentence.tokens[token.head]
    if token.dep != "pobj" or preposition.text.lower() != "among" or preposition.head == token.head:
        return []
    return kids(sentence, preposition.head, "nsubj", "nsubjpass")


def list_after_the_object(sentence: ParsedSentence, noun: int) -> int | None:
    """The listing verb whose object the parser hung the list's preposition on: "placed X Co., Ltd. and two of
    its affiliates on the Entity List" makes "on the Entity List" a modifier of "affiliates"; the verb
    ("placed") is returned, so its object is what the list takes in."""
    index = noun
    for _ in range(8):
        token = sentence.tokens[index]
        if token.head == index or token.dep not in {"pobj", "prep", "conj", "appos", "dobj"}:
            return None
        if token.dep == "dobj":
            return token.head if lemma_of(sentence.tokens[token.head]) in LISTING_VERBS else None
        index = token.head
    return None


def glued_hyphens(sentence: ParsedSentence, own: Sequence[int]) -> set[int]:
    """Hyphens inside a name that the parser hung elsewhere: "Jean-Robert Delatour" (its "-" is punctuation
    of the list, so "Jean" and "Robert Delatour" would be two names)."""
    tokens, owned = sentence.tokens, set(own)
    return {
        hyphen
        for hyphen in (index + 1 for index in owned)
        if hyphen + 1 in owned
        and hyphen not in owned
        and tokens[hyphen].text == "-"
        and tokens[hyphen].start == tokens[hyphen - 1].end
        and tokens[hyphen + 1].start == tokens[hyphen].end
    }


def object_after_aside(sentence: ParsedSentence, verb: int) -> list[int]:
    """The object the parser gave to an aside that follows the verb: "… listing, in the order given in its
    statement, the deputy interior minister, X, …" reads "the minister" as a second object of "in"."""
    tokens = sentence.tokens
    found = []
    for prep in kids(sentence, verb, "prep"):
        if tokens[prep - 1].text != ",":
            continue
        objects = kids(sentence, prep, "pobj")
        found += [
            later
            for later in objects[1:]
            if any(tokens[between].text == "," for between in range(objects[0] + 1, later))
        ]
    return found


def object_read_as_later_subject(sentence: ParsedSentence, verb: int) -> list[int]:
    """The object right after a verb that the parser made the subject of a later clause: "Tokyo has
    designated a web of intermediaries based in …, accusing them of …" ("web" as the subject of a verb
    further on). Only a noun phrase that starts right after the verb."""
    tokens = sentence.tokens
    index = verb + 1
    while index < len(tokens) and index - verb <= 4 and tokens[index].pos in {"DET", "NUM", "ADJ"}:
        index += 1
    if index >= len(tokens) or tokens[index].pos not in {"NOUN", "PROPN"}:
        return []
    head = tokens[index]
    if head.dep not in {"nsubj", "nsubjpass"} or head.head <= index or head.head == verb:
        return []
    return [index]
