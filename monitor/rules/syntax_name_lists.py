"""Names a sentence gives for a counted party or one per semicolon item, wherever the parser hung them: "…
on X and two of its directors, A and B", "listing X, a senior officer of …; Y, governor of Z prison; and,
at the very end of a long statement, the trading house W". ``syntax_roles.members`` adds them to the
trigger's object.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.domain import ParsedSentence
from monitor.rules.syntax_tree import is_verb, kids, lemma_of
from monitor.rules.syntax_words import NUMBER_WORDS

_NAME_LEAD_DEPS = frozenset({"compound", "amod", "npadvmod", "nmod", "punct", "det"})


def names_of_the_counted(sentence: ParsedSentence, trigger: int) -> list[int]:
    """The names a counted party announces after a comma, which the parser hung elsewhere: "sanctions on
    X and two of its directors, A and B, accusing them …", "two currency exchange houses he used to launder
    proceeds for the cartel, C and D" (made conjuncts of "cartel"), "Two companies that …, A and B, were
    sanctioned". Only when as many names follow as were
    counted, so a description ("two firms, one in Dubai") is not read as names."""
    tokens = sentence.tokens
    found: list[int] = []
    for index, token in enumerate(tokens):
        count = NUMBER_WORDS.get(token.text.lower(), 0)
        if index == trigger or not 2 <= count <= 6 or token.pos != "NUM":
            continue
        if not _leads_to(sentence, index, trigger, passive_subject=index < trigger) and not _aimed_by_verb(
            sentence, index, trigger
        ):
            continue
        names = _names_after_comma(sentence, index)
        if len(names) == count:
            found += names
    return found


def _leads_to(sentence: ParsedSentence, index: int, trigger: int, passive_subject: bool = False) -> bool:
    """Whether ``index`` hangs off the trigger through nouns and prepositions only (no other verb); with
    ``passive_subject``, as (part of) its passive subject: "Two Russian nationals linked to …, A and B,
    have been sanctioned" (an active subject counts who acts, not who is hit)."""
    child = _child_on_the_way(sentence, index, trigger)
    return child is not None and (not passive_subject or sentence.tokens[child].dep == "nsubjpass")


def _aimed_by_verb(sentence: ParsedSentence, index: int, trigger: int) -> bool:
    """Whether ``index`` is what the verb of the trigger aims at: "imposed sanctions and travel bans on two
    presenters, A and B" (the sanction is the verb's object, the counted party its "on" phrase)."""
    tokens = sentence.tokens
    verb = tokens[trigger].head
    if tokens[trigger].dep != "dobj" or not is_verb(tokens[verb]):
        return False
    child = _child_on_the_way(sentence, index, verb)
    return child is not None and tokens[child].pos == "ADP" and lemma_of(tokens[child]) in {"on", "against"}


def _child_on_the_way(sentence: ParsedSentence, index: int, target: int) -> int | None:
    """The child of ``target`` that ``index`` hangs from, climbing through no other verb (at most 8 steps)."""
    for _ in range(8):
        head = sentence.tokens[index].head
        if head == target:
            return index
        if head == index or is_verb(sentence.tokens[head]):
            return None
        index = head
    return None


def _names_after_comma(sentence: ParsedSentence, counted: int) -> list[int]:
    tokens = sentence.tokens
    comma = next(
        (
            i
            for i in range(counted + 1, min(len(tokens), counted + 30))
            if tokens[i].text in {",", ";", ".", ":"}
        ),
        None,
    )
    if comma is None or tokens[comma].text != "," or comma + 1 >= len(tokens):
        return []
    index = comma + 1
    while tokens[index].dep in _NAME_LEAD_DEPS and index < tokens[index].head <= index + 6:
        index = tokens[index].head
    if tokens[index].pos != "PROPN" or not tokens[comma + 1].text[:1].isupper():
        return []
    names = [index]
    for name in names:
        names += [c for c in kids(sentence, name, "conj") if tokens[c].pos == "PROPN" and c not in names]
    return names


def semicolon_list(sentence: ParsedSentence, trigger: int, heads: Sequence[int]) -> list[int]:
    """Targets listed one per semicolon item (the first after a colon), each with its description, which the parser hangs anywhere:
    "listing X, a senior officer of …; Y, governor of Z prison; and, at the very end of a long statement,
    the trading house W". An item's name is the first comma-separated part whose head is a proper noun
    (parts before it describe or are asides: "the head of the tasks department, X", "and, at the very end
    …, Y"); an item whose first part is anything else ("; Moscow called it illegal") names nobody."""
    tokens = sentence.tokens
    if not heads:
        return []
    first = min(trigger, *heads)  # "Designated, in the order of the notice, are X; Y; and Z"
    semicolons = [i for i, token in enumerate(tokens) if token.text == ";" and i > first]
    colons = [i for i, token in enumerate(tokens) if token.text == ":" and first < i < min(semicolons or [0])]
    semicolons = colons[-1:] + semicolons  # ": the deputy minister, X; the head of …, Y; and …"
    found: list[int] = []
    for number, semicolon in enumerate(semicolons):
        end = semicolons[number + 1] if number + 1 < len(semicolons) else len(tokens)
        for part in _parts(sentence, semicolon + 1, end)[:4]:
            root = _part_root(sentence, part)
            if root is not None and _names_a_party(sentence, root, part):
                found.append(root)
                break
            lead = sentence.tokens[root if root is not None else part[0]]
            if lead.pos not in {"NOUN", "ADP"}:
                break
    return found


def _parts(sentence: ParsedSentence, start: int, end: int) -> list[list[int]]:
    parts: list[list[int]] = [[]]
    for index in range(start, end):
        text = sentence.tokens[index].text
        if text == ",":
            parts.append([])
        elif text.lower() not in {"and", "or", "."}:
            parts[-1].append(index)
    return [part for part in parts if part]


def _part_root(sentence: ParsedSentence, part: list[int]) -> int | None:
    roots = [i for i in part if sentence.tokens[i].head not in part or sentence.tokens[i].head == i]
    return roots[0] if len(roots) == 1 and len(part) <= 12 else None


def _names_a_party(sentence: ParsedSentence, root: int, part: list[int]) -> bool:
    """A proper noun, or a common noun with one in apposition ("the trading house X")."""
    token = sentence.tokens[root]
    if token.pos == "PROPN":
        return not is_verb(token)
    named = [c for c in kids(sentence, root, "appos") if c in part and sentence.tokens[c].pos == "PROPN"]
    return token.pos == "NOUN" and bool(named)
