"""Names that describe another noun instead of standing for a party: "its Marshall Islands affiliate X", "a
Culiacán businessman", "a Bamako-based refiner", "a fuel smuggler from Zuwara", "X FZE, of Sharjah".

An argument's phrase carries such names beside the party it names; the small model tags many of these
places as ORG or PERSON, so the entity label cannot tell them apart. The tree can: the name hangs off a
common noun as a modifier, or off a preposition of place after one.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_tree import lemma_of
from monitor.rules.syntax_words import TITLES

BODY_NOUNS = frozenset(
    """group militia network cartel movement brigade battalion gang clan faction corps army regiment
    foundation front organisation organization party""".split()  # noqa: SIM905
)
"""Common nouns that complete an organisation's name ("the Wagner group", "the Sinaloa cartel"): the name
before them is the party, not a description."""

_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
_RESIDENTS = frozenset({"resident", "native", "citizen", "national", "mayor"})  # "a resident of Baar"
_COMPANY_ENDS = frozenset(
    [
        "ltd",
        "llc",
        "llp",
        "pvt",
        "inc",
        "plc",
        "jsc",
        "pjsc",
        "cjsc",
        "sa",
        "ag",
        "as",
        "gmbh",
        "fze",
        "fzco",
        "dmcc",
        "srl",
        "sarl",
        "limited",
        "corp",
        "bhd",
        "co",
        "ooo",
        "doo",
    ]
)
"""How a company's name ends: what follows it with "of" is where it is ("X Sdn Bhd of Bayan Lepas")."""
_PLACE_PREPOSITIONS = frozenset({"in", "from", "near", "at"})


def describes_a_noun(sentence: ParsedSentence, start: int, end: int) -> bool:
    """Whether the name at [start, end) only qualifies a common noun: a place or a company used as an
    attribute ("Marshall Islands affiliate", "Jamnagar refinery", "Minsk-based"), or the place after it
    ("a smuggler from Zuwara", ", of Sharjah")."""
    tokens = sentence.tokens
    inside = [i for i, t in enumerate(tokens) if start <= t.start < end]
    roots = [i for i in inside if tokens[i].head not in inside or tokens[i].head == i]
    if not roots:
        return False
    root = tokens[roots[-1]]
    if root.head == roots[-1]:
        return False
    head = tokens[root.head]
    if root.dep in _MODIFIER_DEPS:
        if _listed_company(tokens, roots[-1]):
            return False  # "on X LLC, Tamsin Maritime FZE and Russian businessman Y": the parser hung the
            # list's middle name off the last one's description
        if head.pos == "NOUN":
            return lemma_of(head) not in BODY_NOUNS
        return head.pos in {"VERB", "ADJ"} and head.dep == "amod"  # "Bamako-based", "Hong Kong-registered"
    if root.dep == "poss" and head.pos == "NOUN":  # "head of Republika Srpska's security service"
        return True
    if root.dep != "pobj":
        return False
    preposition = head.text.lower()
    if preposition in _PLACE_PREPOSITIONS:
        return tokens[head.head].pos == "NOUN"  # "a camp operator in Crimea", not "sanctions on X"
    if preposition != "of":
        return False
    comma_before = root.head > 0 and tokens[root.head - 1].text == ","  # "X FZE, of Sharjah"
    owner = tokens[head.head]
    office = (
        owner.pos == "NOUN" and lemma_of(owner) in TITLES | _RESIDENTS
    )  # "minister of Y", "a resident of Y"
    located = owner.pos == "PROPN" and owner.text.lower().rstrip(".") in _COMPANY_ENDS  # "X AG of Zug"
    return comma_before or office or located


def _listed_company(tokens: Sequence[SyntaxToken], index: int) -> bool:
    """A company's legal ending followed by "and" or a comma: a name in a list, not an attribute."""
    following = index + 1
    return (
        tokens[index].text.lower().rstrip(".") in _COMPANY_ENDS
        and following < len(tokens)
        and tokens[following].text.lower() in {"and", ","}
    )


def owns_a_named_body(sentence: ParsedSentence, start: int, end: int) -> bool:
    """Whether the name at [start, end) is the possessor of another name: "the Treasury Department's Office
    of Foreign Assets Control" (the office acts), "Rosneft's Litasco"."""
    tokens = sentence.tokens
    inside = [i for i, t in enumerate(tokens) if start <= t.start < end]
    roots = [i for i in inside if tokens[i].head not in inside]
    if not roots:
        return False
    root = tokens[roots[-1]]
    return root.dep == "poss" and tokens[root.head].pos == "PROPN"
