"""Runs of capitalised words in a member's phrase: the names the entity recogniser missed or cut short.

The model's spans stop at a hyphen, a bracket or a split full stop ("Sable Bay Commodities" where it saw
"Bay Commodities"); a run of capitalised tokens, joined by connectors such as "-", "&" or "del", gives the
name as the article writes it, without the titles before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_misreads import glued_hyphens
from monitor.rules.syntax_words import SUFFIX_WORDS

TITLE_WORDS = frozenset(
    """president prime minister chancellor king queen secretary general director chairman chairwoman chief
    executive senator governor mayor deputy vice sheikh crown prince premier ambassador commissioner
    spokesman spokeswoman mr mrs ms dr emir sultan founder owner ceo pm cm head""".split()  # noqa: SIM905
)
"""Capitalised words that title a name, not part of it: "Prime Minister Albin Kurti" names Albin Kurti."""
_BEFORE_COMMA_SUFFIX = frozenset({"co", "corp", "inc", "pte"})
_CONNECTORS = frozenset(
    {"-", "&", "del", "de", "da", "la", "le", "bin", "al", "van", "von", "der", "du", "dos"}
)


def proper_runs(sentence: ParsedSentence, own: Sequence[int]) -> list[tuple[int, int, str]]:
    """Runs of capitalised words (joined by connectors such as "-", "&", "del") holding a proper noun."""
    tokens = sentence.tokens
    owned = set(own) | glued_hyphens(sentence, own)
    runs: list[list[int]] = []
    current: list[int] = []
    for index in sorted(owned):
        token = tokens[index]
        capital = token.text[:1].isupper() and token.pos in {"PROPN", "NOUN", "ADJ", "X", "VERB"}
        connector = (
            token.text.lower() in _CONNECTORS
            and current
            and current[-1] == index - 1
            and _capital_next(tokens, owned, index)
        ) or _of_the_body(tokens, owned, current, index)
        if (capital or connector) and (not current or current[-1] == index - 1):
            current.append(index)
            continue
        if current:
            runs.append(current)
        current = [index] if capital else []
    if current:
        runs.append(current)
    result = []
    for run in runs:
        while run and tokens[run[-1]].text.lower() in _CONNECTORS:
            run = run[:-1]
        run = run + _after_comma_suffix(tokens, run)
        titles = [position for position, i in enumerate(run) if tokens[i].text.lower() in TITLE_WORDS]
        if run and tokens[run[-1]].text.lower().rstrip(".") in SUFFIX_WORDS:
            titles = []  # a company's "General Trading LLC" holds no title
        if titles:  # "Kosovo Prime Minister Albin Kurti" → "Albin Kurti"
            run = run[titles[-1] + 1 :]
        if not run or not any(tokens[i].pos == "PROPN" for i in run):
            continue
        start, end = tokens[run[0]].start, tokens[run[-1]].end
        if adjectival(sentence, end):
            continue
        text = ""
        for position, i in enumerate(run):
            gap = position and tokens[i].start > tokens[run[position - 1]].end
            text += (" " if gap else "") + tokens[i].text
        result.append((start, end, text))
    return result


def _after_comma_suffix(tokens: Sequence[SyntaxToken], run: Sequence[int]) -> list[int]:
    """The ", Ltd." of "Koh Kong Golden Bay Resort Co., Ltd.": the parser hangs it off "Co." as an
    apposition, which a member's own phrase leaves out, but it is the rest of the company's legal name."""
    if not run or tokens[run[-1]].text.lower().rstrip(".") not in _BEFORE_COMMA_SUFFIX:
        return []
    comma, suffix = run[-1] + 1, run[-1] + 2
    if (
        suffix < len(tokens)
        and tokens[comma].text == ","
        and tokens[suffix].text.lower().rstrip(".")
        in {
            "ltd",
            "limited",
        }
    ):
        return [comma, suffix]
    return []


def _capital_next(tokens: Sequence[SyntaxToken], owned: set[int], index: int) -> bool:
    """A capital after the connector, or after one more ("Salem al-Jaziri": "al", "-", "Jaziri")."""
    following = (
        index + 2 if tokens[index + 1 : index + 2] and tokens[index + 1].text in _CONNECTORS else index + 1
    )
    return {index + 1, following} <= owned and tokens[following].text[:1].isupper()


_BODY_HEADS = frozenset(
    """council ministry office department bank court commission committee secretariat authority agency
    directorate bureau institute""".split()  # noqa: SIM905
)


def _of_the_body(tokens: Sequence[SyntaxToken], owned: set[int], current: list[int], index: int) -> bool:
    """ "of" / "of the" inside a body's name: "Council of the European Union", "Bank of Kunlun", "Office of
    Foreign Assets Control" (the model often stops at "Council")."""
    if not current or current[-1] != index - 1:
        return False
    word = tokens[index].text.lower()
    previous = tokens[index - 1].text.lower()
    following = index + 1 < len(tokens) and index + 1 in owned and tokens[index + 1].text[:1].isupper()
    if word == "of":
        after_the = index + 2 < len(tokens) and tokens[index + 1].text.lower() == "the"
        capital_after_the = after_the and index + 2 in owned and tokens[index + 2].text[:1].isupper()
        return previous in _BODY_HEADS and (following or capital_after_the)
    return word == "the" and previous == "of" and following


def adjectival(sentence: ParsedSentence, end: int) -> bool:
    """Whether the name ending at ``end`` is glued to a lowercase word by a hyphen ("Minsk-based")."""
    tokens = sentence.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.start == end and token.text == "-":
            after = tokens[index + 1]
            return after.start == token.end and after.text[:1].islower()
    return False
