"""Reading one ``ParsedSentence`` as a tree: a token's children and subtree, its lemma, whether it is a verb.

Shared by the grammar walks (``syntax_roles``), the repairs of the parser's known misreadings
(``syntax_misreads``) and the name readers (``syntax_names``).
"""

from __future__ import annotations

from collections.abc import Callable

from monitor.domain import ParsedSentence, SyntaxToken

_CHILDREN: dict[int, tuple[ParsedSentence, tuple[tuple[int, ...], ...]]] = {}
_CHILDREN_KEPT = 256


def children(sentence: ParsedSentence) -> tuple[tuple[int, ...], ...]:
    """Each token's children, memoised by identity (hashing a whole sentence per call costs more)."""
    cached = _CHILDREN.get(id(sentence))
    if cached is not None and cached[0] is sentence:
        return cached[1]
    kids: list[list[int]] = [[] for _ in sentence.tokens]
    for index, token in enumerate(sentence.tokens):
        if token.head != index and 0 <= token.head < len(kids):
            kids[token.head].append(index)
    found = tuple(tuple(k) for k in kids)
    if len(_CHILDREN) >= _CHILDREN_KEPT:
        _CHILDREN.clear()
    _CHILDREN[id(sentence)] = (sentence, found)
    return found


def kids(sentence: ParsedSentence, index: int, *deps: str) -> list[int]:
    return [c for c in children(sentence)[index] if not deps or sentence.tokens[c].dep in deps]


def lemma_of(token: SyntaxToken) -> str:
    return token.lemma.lower()


def is_verb(token: SyntaxToken) -> bool:
    """A verb, unless the parser made it a verb's or preposition's object: "X and Y face asset freezes"
    tags "freezes" a verb, but it is the noun "face" takes."""
    return token.pos in {"VERB", "AUX"} and token.dep not in {"dobj", "pobj"}


def is_nominal(token: SyntaxToken) -> bool:
    return token.pos in {"NOUN", "PROPN", "NUM"}


def subtree(sentence: ParsedSentence, index: int) -> list[int]:
    return walk(sentence, index, lambda child: True)


def walk(sentence: ParsedSentence, index: int, follow: Callable[[int], bool]) -> list[int]:
    """``index`` and every descendant reached through children ``follow`` accepts; safe on cycles."""
    found, todo, seen = [], [index], {index}
    while todo:
        current = todo.pop()
        found.append(current)
        for child in children(sentence)[current]:
            if child not in seen and follow(child):
                seen.add(child)
                todo.append(child)
    return sorted(found)
