"""Names that continue a list of targets after the parser lost it, or that a participle names.

Wire copy strings a sanction's targets along one sentence, each with a role before its name: "… on
Irrawaddy Aviation Fuels Co, which it said supplied fuel to the air force, and on two army officers,
Brigadier-General Min Zaw Htet and Colonel Kyaw Lin Oo", "… of Sunbright Maritime Ltd and of its director,
Leung Wai-kit". The small model hangs the later names anywhere (a clause's subject, an adverb of the
verb), so the grammar walks stop at the first. ``list_continues`` reads on from the last member found,
along the surface of the sentence: a comma or "and", perhaps the list's preposition again, perhaps a
role in lower case ("its director", "the accountant", "two army officers"), perhaps a title, then a name.
It stops at anything else: a verb ("…, accusing them"), a relative pronoun ("…, which"), a report ("…,
the Foreign Office said").
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_lists import expand, own_tokens
from monitor.rules.syntax_tree import is_nominal, kids, lemma_of, subtree
from monitor.rules.syntax_words import NAMING_VERBS, TITLES

_JOINERS = frozenset({",", "and"})
_LIST_PREPS = frozenset({"on", "against", "of", "to"})
_ROLE_TAGS = frozenset({"DET", "NUM", "ADJ", "NOUN", "PART"})
_ROLE_WORDS = 6  # "the organisation's alleged treasurer", "two supreme court judges"
_NAME_PARTICLES = frozenset(
    {"de", "del", "da", "di", "do", "dos", "das", "du", "al", "el", "bin", "van", "von", "y"}
)
_STOPS = frozenset({"which", "who", "whom", "whose", "that", "where", "when", "while"})
_ASIDES = frozenset({"last", "finally", "also", "too", "moreover"})
_ENDS = frozenset({",", "and", ".", ";", ")", "("})
_CLAUSE_WORDS = 25  # "which it said supplied fuel to Myanmar's air force"


def list_continues(sentence: ParsedSentence, heads: Sequence[int]) -> list[int]:
    """The heads of the names that continue the list after the last of ``heads``' members, in order."""
    tokens = sentence.tokens
    members = [m for head in heads for m in expand(sentence, head)]
    if not members:
        return []
    index = max(max(own_tokens(sentence, m)) for m in members) + 1
    found: list[int] = []
    while index < len(tokens):
        step = _joined(tokens, index)
        if step == index:
            break
        if step < len(tokens) and tokens[step].text.lower() in _LIST_PREPS:
            step += 1
        role = step
        while step < len(tokens) and step - role < _ROLE_WORDS and _in_role(tokens, step):
            step += 1
        if step > role and step < len(tokens) and tokens[step].text == ",":
            step += 1
        step = _past_titles(tokens, step)
        name = step
        step = _name_end(tokens, step)
        if step == name:
            if step > role and step < len(tokens) and tokens[step].text in _JOINERS:
                index = step  # ", a Shenzhen distributor, and X": a description of the last name
                continue
            if step == role and (resumed := _past_relative_clause(tokens, index, step)) is not None:
                index = resumed  # "X, which it said supplied fuel to the air force, and on Y"
                continue
            break
        after = tokens[step] if step < len(tokens) else None
        if after is not None and after.text not in _ENDS and after.pos != "ADP":
            break  # "…, the Foreign Office said", "X Holdings shipped …": not a list item
        found.append(_head_of(sentence, name, step))
        if after is not None and after.pos == "ADP":
            break  # "… and Brightmoor Components Ltd of Hong Kong to the Entity List": the list ends
        index = step
    return found


def _joined(tokens: Sequence[SyntaxToken], index: int) -> int:
    """Past a comma and/or "and" (and ", lastly,"): where the next list item starts; ``index`` if none."""
    step = index
    while step < len(tokens) and tokens[step].text.lower() in _JOINERS:
        step += 1
    aside = tokens[step].text.lower() if step < len(tokens) else ""
    if step > index and (aside.endswith("ly") or aside in _ASIDES) and _text(tokens, step + 1) == ",":
        step += 2  # "and, lastly, X", "and, last, X"
    return step


def _text(tokens: Sequence[SyntaxToken], index: int) -> str:
    return tokens[index].text if index < len(tokens) else ""


def _in_role(tokens: Sequence[SyntaxToken], index: int) -> bool:
    """A word of a role phrase; a capitalised one or a hyphen only inside it ("a Shenzhen-based trader")."""
    token = tokens[index]
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if _title(token):  # "Brigadier-General X": a title, read as such after the role
        return False
    if token.pos == "PROPN" or token.text == "-":
        return nxt is not None and (nxt.text == "-" or (nxt.text[:1].islower() and _role_word(nxt)))
    return _role_word(token)


def _role_word(token: SyntaxToken) -> bool:
    if token.text.lower() in _STOPS or (not token.text[:1].islower() and token.pos != "PART"):
        return token.text in {"'s", "’s"}
    return token.pos in _ROLE_TAGS or (token.pos in {"PRON", "VERB"} and token.dep in {"poss", "amod"})


def _past_titles(tokens: Sequence[SyntaxToken], index: int) -> int:
    """Past the titles before a name, hyphenated ones included ("Brigadier-General", three tokens)."""
    step = index
    while step < len(tokens) and (_title(tokens[step]) or _hyphen_in_title(tokens, index, step)):
        step += 1
    return step


def _hyphen_in_title(tokens: Sequence[SyntaxToken], start: int, index: int) -> bool:
    return (
        index > start and tokens[index].text == "-" and index + 1 < len(tokens) and _title(tokens[index + 1])
    )


def _past_relative_clause(tokens: Sequence[SyntaxToken], joined: int, step: int) -> int | None:
    """Where the list resumes after a relative clause set off by commas: the comma before ", and on Y".

    Only when the clause opens right after a comma with "which" or "who" and closes, within
    ``_CLAUSE_WORDS`` tokens, on a comma followed by "and" and the list's preposition again: that repeated
    preposition is what says the next name is one more target, not something the clause mentions.
    """
    if step == joined or tokens[step - 1].text != "," or tokens[step].text.lower() not in {"which", "who"}:
        return None
    for end in range(step + 1, min(len(tokens) - 2, step + _CLAUSE_WORDS)):
        if tokens[end].text in {".", ";", "(", ")"}:
            return None
        if tokens[end].text == "," and tokens[end + 1].text == "and" and tokens[end + 2].text in _LIST_PREPS:
            return end
    return None


def _title(token: SyntaxToken) -> bool:
    return token.text[:1].isupper() and all(
        part.lower().rstrip(".") in TITLES for part in token.text.split("-")
    )


def _name_end(tokens: Sequence[SyntaxToken], index: int) -> int:
    """The end of the run of proper nouns at ``index``, with hyphens, "de", "al" and "of" inside ("Federal
    Department of Economic Affairs", "Brightmoor Components Ltd of Hong Kong")."""
    end = index
    while end < len(tokens):
        token = tokens[end]
        inner = end > index and end + 1 < len(tokens) and tokens[end + 1].pos == "PROPN"
        particle = token.text == "-" or token.text.lower() in _NAME_PARTICLES or token.text == "of"
        if token.pos == "PROPN" or (inner and particle):
            end += 1
        else:
            break
    return end


def _head_of(sentence: ParsedSentence, start: int, end: int) -> int:
    """The token of a run whose head lies outside it (the run's own head), else its last token."""
    for index in range(start, end):
        if not start <= sentence.tokens[index].head < end or sentence.tokens[index].head == index:
            return index
    return end - 1


def naming(sentence: ParsedSentence, verb: int) -> list[int]:
    """The objects of a participle that names the targets: "imposed sanctions on a smuggling ring, naming
    its leader X, his brother Y and the shipping agent Z" (not "… on X, saying it had …"). After a clause
    about the ring ("… a chain of traders it says sold methanol to Asia, naming X"), the parser hangs the
    participle off that clause's verb: one led by a comma anywhere under the sentence's verb counts too."""
    tokens = sentence.tokens
    clauses = kids(sentence, verb, "advcl", "xcomp") + [
        index
        for index in subtree(sentence, verb)
        if index > verb + 1 and tokens[index - 1].text == "," and tokens[index].head != verb
    ]
    return [
        named
        for clause in clauses
        if tokens[clause].text.lower().endswith("ing") and lemma_of(tokens[clause]) in NAMING_VERBS
        for named in kids(sentence, clause, "dobj")
    ]


def stray_conjuncts(sentence: ParsedSentence, verb: int) -> list[int]:
    """Nouns the parser joined to the verb instead of to its object: "sanctions on X, …, and two of its
    executives, Y and Z" (``two`` hangs off "imposed" as a conjunct)."""
    return [c for c in kids(sentence, verb, "conj") if is_nominal(sentence.tokens[c])]
