"""Whose holdings a sanction freezes: "the assets of X", "funds belonging to X", "funds held by X", "X and Y
will have their assets frozen" all land on X (and Y), not on the assets.
"""

from __future__ import annotations

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_lists import later_conjuncts, pobjs
from monitor.rules.syntax_tree import kids, lemma_of
from monitor.rules.syntax_words import HOLDINGS


def owners(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """``heads`` with "the assets of X" replaced by X, also "funds belonging to X", "funds held by X" and "all property and
    interests in property of X" (the parser hangs "in property of X" off the verb)."""
    found = []
    for head in heads:
        token = sentence.tokens[head]
        holders: list[int] = []
        if lemma_of(token) in HOLDINGS:
            holders = pobjs(sentence, head, frozenset({"of"}))
            holders += _holders_hung_on_the_holding(sentence, head, holders)
            for clause in kids(sentence, head, "acl"):
                if lemma_of(sentence.tokens[clause]) == "belong":
                    holders += pobjs(sentence, clause, frozenset({"to"}))
                if lemma_of(sentence.tokens[clause]) == "hold":  # "funds held by X (and by Y)"
                    holders += pobjs(sentence, clause, frozenset({"by"}))
            having = token.head  # "X and Y will have their (any) assets frozen" (a clause of "have", or not)
            if sentence.tokens[having].dep == "ccomp" and freezes(sentence.tokens[having]):
                having = sentence.tokens[having].head
            whose = kids(sentence, head, "poss") or [
                d for d in kids(sentence, head, "det") if lemma_of(sentence.tokens[d]) in {"any", "all"}
            ]
            if not holders and whose and lemma_of(sentence.tokens[having]) in {"have", "see", "get"}:
                holders = kids(sentence, having, "nsubj")
            if not holders and token.head != head:
                for held in pobjs(sentence, token.head, frozenset({"in"})):
                    if lemma_of(sentence.tokens[held]) in HOLDINGS:
                        holders += pobjs(sentence, held, frozenset({"of"}))
        found += holders or [head]
    return found


def _holders_hung_on_the_holding(sentence: ParsedSentence, holding: int, holders: list[int]) -> list[int]:
    """Holders the parser coordinated with the holding instead of its first holder: "froze the assets of nine
    people and three companies" ("companies" a conjunct of "assets"); a conjunct that is itself a holding
    brings its own ("the assets of X and the property of Y")."""
    found: list[int] = []
    for other in later_conjuncts(sentence, holding):
        if lemma_of(sentence.tokens[other]) in HOLDINGS:
            found += pobjs(sentence, other, frozenset({"of"}))
        elif holders and other > max(holders) and sentence.tokens[other].pos in {"NOUN", "PROPN"}:
            found.append(other)
    return found


def freezes(token: SyntaxToken) -> bool:
    return lemma_of(token) == "freeze" or token.text.lower() == "frozen"
