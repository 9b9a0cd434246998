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
from collections.abc import Set as AbstractSet

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_lists import expand, own_tokens
from monitor.rules.syntax_tree import is_nominal, kids, lemma_of, subtree
from monitor.rules.syntax_words import DEMONYMS, NAMING_VERBS, TITLES, no_party

_JOINERS = frozenset({",", "and"})
_LIST_PREPS = frozenset({"on", "against", "of", "to"})
_ROLE_TAGS = frozenset({"DET", "NUM", "ADJ", "NOUN", "PART"})
_ROLE_WORDS = 6  # "the organisation's alleged treasurer", "two supreme court judges"
_ROLE_PREPS = frozenset({"of", "in", "at", "from", "for", "to", "with"})
_DESCRIBED_WORDS = 16  # "the Moscow-appointed head of an occupied district in southern Ukraine"
_NAME_PARTICLES = frozenset(
    {"de", "del", "da", "di", "do", "dos", "das", "du", "al", "el", "bin", "van", "von", "y"}
)
_STOPS = frozenset({"which", "who", "whom", "whose", "that", "where", "when", "while"})
_ASIDES = frozenset({"last", "finally", "also", "too", "moreover"})
_ENDS = frozenset({",", "and", ".", ";", ")", "("})
_CLAUSE_WORDS = 25  # "which it said supplied fuel to Myanmar's air force"
_IRREGULAR = frozenset({"run", "born", "made", "built", "held", "grown"})  # "Kremlin-run"
_ASIDE_WORDS = 25  # "and, in a separate listing aimed at procurement agents operating from Türkiye, X"


def list_continues(sentence: ParsedSentence, heads: Sequence[int]) -> list[int]:
    """The heads of the names that continue the list after the last of ``heads``' members, in order, and
    of those between two members that the parser hung inside a description: "…, the Kremlin-appointed mayor
    of an occupied town in eastern Ukraine, X, two managers …" (X as a conjunct of "Ukraine")."""
    members = sorted({m for head in heads for m in expand(sentence, head)})
    if not members:
        return []
    owned = {index for m in members for index in own_tokens(sentence, m)}
    found = _walk(sentence, _past_own_phrases(sentence, members), frozenset())
    for member in members[:-1]:
        if sentence.tokens[member].dep in {"appos", "conj"}:  # a listed one, not "over their role in …"
            start = _past_own_phrases(sentence, [member])
            if start not in owned:
                found += [n for n in _walk(sentence, start, owned) if n not in found]
    return sorted(found)


def _walk(sentence: ParsedSentence, index: int, owned: AbstractSet[int]) -> list[int]:
    """The heads of the list items from ``index`` on, up to a member already found (``owned``)."""
    tokens = sentence.tokens
    found: list[int] = []
    while index < len(tokens) and index not in owned:
        step = _joined(tokens, index)
        if step == index or step in owned:
            break
        if step < len(tokens) and tokens[step].text.lower() in _LIST_PREPS:
            step += 1
        role = step
        step, described = _role_end(tokens, step)
        if step > role and step < len(tokens) and tokens[step].text == ",":
            step += 1
        elif described:  # "the head of Rosneft and its chairman, X": a description ends at a comma, or it
            if step < len(tokens) and tokens[step].text in _JOINERS:  # describes the last name
                index = step
                continue
            break
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
        if any(i in owned for i in range(name, step)):
            break
        found.append(_head_of(sentence, name, step))
        if after is not None and after.pos == "ADP":
            break  # "… and Brightmoor Components Ltd of Hong Kong to the Entity List": the list ends
        index = step
    return found


def _past_own_phrases(sentence: ParsedSentence, members: Sequence[int]) -> int:
    """Where the list goes on after the last member's own phrase and the prepositions that end it: "…, the
    Moscow-appointed head of an occupied district in southern Ukraine, X" (the parser hangs "in southern
    Ukraine" off "district": a phrase of the member's own, but not one its name is in)."""
    tokens = sentence.tokens
    own = {index for m in members for index in own_tokens(sentence, m)}
    index = max(own) + 1
    listed = tokens[max(members)].dep in {"appos", "conj"}  # inside a list, not "over their role in …"
    while listed and index < len(tokens) and tokens[index].pos == "ADP" and tokens[index].head in own:
        phrase = set(subtree(sentence, index))  # up to its first comma or "and": the parser hangs the next
        while index in phrase and tokens[index].text not in _JOINERS:  # names inside it ("… in southern
            own.add(index)  # Ukraine, X", "A in Niamey and B in Dubai")
            index += 1
    return index


def _joined(tokens: Sequence[SyntaxToken], index: int) -> int:
    """Past a comma and/or "and" (and ", lastly,", "and, at the end of a long list,"): where the next list
    item starts; ``index`` if none."""
    step = index
    while step < len(tokens) and tokens[step].text.lower() in _JOINERS:
        step += 1
    aside = tokens[step].text.lower() if step < len(tokens) else ""
    if step > index and (aside.endswith("ly") or aside in _ASIDES) and _text(tokens, step + 1) == ",":
        return step + 2  # "and, lastly, X", "and, last, X"
    if step - index >= 2 and [t.text for t in tokens[step - 2 : step]] == ["and", ","]:
        for end in range(step, min(len(tokens), step + _ASIDE_WORDS)):  # "and, <an aside>, X": set off
            if tokens[end].text in {".", ";", "(", ")"}:  # by commas after "and"
                break
            if tokens[end].text == ",":
                return end + 1 if end > step else step
    return step


def _role_end(tokens: Sequence[SyntaxToken], start: int) -> tuple[int, bool]:
    """The end of the role phrase at ``start`` ("two army officers", "Minsk tour operator", "the head of
    the Minsk riot police"), and whether it is a description with a preposition: that one can hold names
    of its own ("the governor of Kherson"), so only a comma after it leads to the listed name."""
    step = start
    described = False
    while step < len(tokens) and step - start < (_DESCRIBED_WORDS if described else _ROLE_WORDS):
        token = tokens[step]
        if _in_role(tokens, step) or (described and token.pos == "PROPN"):
            step += 1
        elif (
            step > start
            and token.pos == "ADP"
            and token.text.lower() in _ROLE_PREPS
            and step + 1 < len(tokens)
        ):
            described = True
            step += 1
        else:
            break
    return step, described and step < len(tokens) and tokens[step - 1].pos != "ADP"


def _text(tokens: Sequence[SyntaxToken], index: int) -> str:
    return tokens[index].text if index < len(tokens) else ""


def _in_role(tokens: Sequence[SyntaxToken], index: int) -> bool:
    """A word of a role phrase; a capitalised one or a hyphen only inside it ("a Shenzhen-based trader")."""
    token = tokens[index]
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if _title(token):  # "Brigadier-General X": a title, read as such after the role
        return False
    if token.text == "-":
        return nxt is not None and nxt.text[:1].islower() and _role_word(nxt)
    if token.pos == "PROPN" or (token.pos == "ADJ" and token.text.lower() in DEMONYMS):
        first = end = (
            index  # "Minsk tour operator", "Hong Kong-registered", "Singapore's", "Chinese national"
        )
        while first > 0 and _in_run(tokens[first - 1]):
            first -= 1
        while end + 1 < len(tokens) and _in_run(tokens[end + 1]):
            end += 1
        after = _text(tokens, end + 1)
        if after == "-":  # "Hong Kong-registered", not "Leung Wai-kit"
            participle = _text(tokens, end + 2)
            return participle[:1].islower() and (participle.endswith("ed") or participle in _IRREGULAR)
        if after in {"'s", "’s"}:
            return no_party(" ".join(t.text for t in tokens[first : end + 1]))
        return after[:1].islower() and _role_word(tokens[end + 1])
    if token.pos == "VERB" and token.text.endswith("ing") and token.text.islower() and index > 0:
        before = tokens[
            index - 1
        ]  # "airport handling firm" (a participle inside the role, not after a comma)
        return before.pos == "NOUN" and before.text[:1].islower() and nxt is not None and _role_word(nxt)
    return _role_word(token)


def _in_run(token: SyntaxToken) -> bool:
    return token.pos == "PROPN" and not _title(token)


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
