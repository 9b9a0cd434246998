"""Where the small English model's parse is wrong in a known, recurring way, and how the walks read it anyway.

Each test recognises one misreading from the shape of the tree around a trigger ("face asset freezes" as a
clause of its own, a headline verb read as a noun inside the name it governs, a past participle read as an
adjective of the name after it, an apposition hung off the wrong noun); ``syntax_roles`` decides what the
arguments are when one of them holds.
"""

from __future__ import annotations

from monitor.domain import ParsedSentence
from monitor.rules.syntax_tree import is_verb, kids

HEADLINE_VERBS = frozenset({"sanctions", "blacklists", "designates", "freezes", "bans", "targets", "lists"})


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
