"""Lists and phrases in one ``ParsedSentence``: a trigger's argument expanded over coordination and
apposition ("A, B and C", "the trading house X and its chairman, Y"), a member's own phrase, the objects of
prepositions. Shared by the grammar walks (``syntax_roles``) and the name readers (``syntax_names``).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.domain import ParsedSentence
from monitor.rules.syntax_misreads import orphan_object
from monitor.rules.syntax_reports import REPORTING_VERBS
from monitor.rules.syntax_tree import kids, lemma_of, walk

_OWN_DEPS_EXCLUDED = frozenset(
    {"cc", "punct", "relcl", "acl", "advcl", "ccomp", "xcomp", "prep", "parataxis", "dep", "npadvmod"}
)
_OWN_PREPS = frozenset({"of", "from", "to", "including", "among", "like", "with"})
"""Prepositions inside a list of targets ("from a Kyrgyz agent … to the Istanbul firm X, together with Y")."""


@dataclass(frozen=True)
class Member:
    """One argument of a trigger: its head token, after lists were expanded. ``after``: the trigger inside
    its phrase. Before the head, the phrase starts after it ("Britain sanctions Volkhov Maritime Ltd" is one
    noun phrase to the parser; the name is what follows the trigger); after the head, the phrase ends at the
    preposition that leads to it ("added X and Y Ltd to the Entity List", the list hung off the object)."""

    head: int
    after: int = -1

    def own(self, sentence: ParsedSentence) -> list[int]:
        tokens = own_tokens(sentence, self.head)
        if self.after < self.head:
            return [index for index in tokens if index > self.after]
        cut = self.after
        while sentence.tokens[cut].dep != "prep" and sentence.tokens[cut].head not in {cut, self.head}:
            cut = sentence.tokens[cut].head
        return [index for index in tokens if index < min(cut, self.after)]


def pobjs(sentence: ParsedSentence, index: int, preps: frozenset[str]) -> list[int]:
    """Objects of the preposition children in ``preps``, repeated ones included ("on X … and on Y")."""
    found = []
    todo = kids(sentence, index, "prep", "agent")
    seen = set(todo)
    while todo:
        prep = todo.pop(0)
        if lemma_of(sentence.tokens[prep]) in preps:
            found += kids(sentence, prep, "pobj", "pcomp") or orphan_object(sentence, prep)
            for again in kids(sentence, prep, "conj", "prep"):
                if again not in seen and sentence.tokens[again].pos == "ADP":
                    seen.add(again)
                    todo.append(again)
    return found


def later_conjuncts(sentence: ParsedSentence, index: int) -> list[int]:
    """The conjuncts after ``index`` in its coordination, nearest first."""
    found: list[int] = []
    todo = kids(sentence, index, "conj")
    while todo:
        current = todo.pop(0)
        if current not in found and current != index:
            found.append(current)
            todo += kids(sentence, current, "conj")
    return found


def first_conjunct(sentence: ParsedSentence, index: int) -> int:
    seen = {index}
    while sentence.tokens[index].dep == "conj" and sentence.tokens[index].head not in seen:
        index = sentence.tokens[index].head
        seen.add(index)
    return index


_CALLED = frozenset({"call", "name", "dub"})
"""Participles that give a described party its name: "a Kazakh airline called X", "a broker named Y"."""


def expand(sentence: ParsedSentence, index: int) -> list[int]:
    """``index`` and the members of its list: its conjuncts and appositions, and the name a participle
    gives one of them ("…, a Kazakh cargo airline called Steppe Wing Air and an Istanbul broker named X").
    Not an apposition that is who reports it, hung off the last member: "… and its owner, X, the UK Foreign
    Office announced"."""
    tokens = sentence.tokens

    def follow(child: int) -> bool:
        token = tokens[child]
        if token.dep == "appos":
            return not _reporter(sentence, child)
        if token.dep == "conj":
            return True
        if token.dep == "acl":
            return lemma_of(token) in _CALLED
        return token.dep == "oprd" and tokens[token.head].dep == "acl"

    return walk(sentence, index, follow)


def _reporter(sentence: ParsedSentence, index: int) -> bool:
    """Whether a reporting verb follows the phrase at ``index`` (its own words, without its conjuncts and
    appositions) right away: "…, the Office announced on Monday" names who reports, not one more member."""
    own = walk(
        sentence, index, lambda child: sentence.tokens[child].dep not in {"appos", "conj", "cc", "punct"}
    )
    after = max(own) + 1
    if after >= len(sentence.tokens):
        return False
    verb = sentence.tokens[after]
    return verb.pos in {"VERB", "AUX"} and lemma_of(verb) in REPORTING_VERBS


def own_tokens(sentence: ParsedSentence, index: int) -> list[int]:
    """The member's own phrase: its subtree without other members, clauses and (but ``of``) prepositions."""

    def own(child: int) -> bool:
        token = sentence.tokens[child]
        if token.dep == "appos" and _reporter(sentence, child):
            return False
        return (
            token.dep not in _OWN_DEPS_EXCLUDED
            or (token.dep == "prep" and lemma_of(token) in _OWN_PREPS)
            or _name_misread_as_preposition(sentence, child)
        )

    return sorted(walk(sentence, index, own))


def _name_misread_as_preposition(sentence: ParsedSentence, index: int) -> bool:
    """The parser reads the Burmese name in "Major General Than Zaw Oo" as the comparative "than", so the
    rest of the name hangs off a preposition. A capitalised "preposition" inside the sentence, followed at once
    by a proper noun, is a name's first word (but not the "On" or "Against" of a headline in title case)."""
    token = sentence.tokens[index]
    if (
        token.dep != "prep"
        or not token.text[:1].isupper()
        or index == 0
        or token.text.lower() in _HEADLINE_PREPS
    ):
        return False
    following = index + 1
    return following < len(sentence.tokens) and sentence.tokens[following].text[:1].isupper()


_HEADLINE_PREPS = frozenset(
    "of on in at for to from with by against over under into after before about as between among across".split()  # noqa: SIM905
)
