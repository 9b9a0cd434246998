"""Company names the model missed or cut short, found by how they end: "Orlov Bunkering JSC", "Sanaa Star
General Trading LLC".

Wire copy names companies with their legal suffix, and the small model often finds none of such a name
("Polesye Aero Repair JSC" in a long list) or only its first words ("Sanaa Star" as a person). The suffix
says where the name ends; the capitalised words before it say where it starts. The run starts after the
last word that cannot be part of a name: a lower-case word (but "of", "de", "y" … between capitalised
words), a word that is never a name ("On", "Monday", "The"), a possessive ("Russia's"), a compound that
describes ("Minsk-registered") or punctuation. "and" ends the run, since lists join names with it ("Alfa
Bank and Vneshtorgbank JSC" are two companies). A line in Title Case (a headline) or in capitals says
nothing about names, so none is read there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from monitor.domain.name_words import COMPANY_SUFFIXES, is_not_name, is_title_case

MAX_NAME_WORDS = 6
_SUFFIX = re.compile(rf"(?<=[\s,])(?:(?:Ltd|Inc|Corp|Pvt|Co)\.|(?:{COMPANY_SUFFIXES})(?![\w-]))")
"""A legal suffix, with its full stop for those abbreviated with one ("Ltd.", "Inc."): a full stop after
"JSC" or "SA" ends the sentence."""
_TOKEN = re.compile(r"\([^()\n]{1,24}\)|[^\s]+")
_CONNECTORS = frozenset(
    "of & y e et und de del du des da do dos la le el al van von".split()  # noqa: SIM905 - a word table
)  # lower-case only: "Al Noor Bullion Refinery FZE" starts with a name word
_BRACKETED = re.compile(r"\((?-i:[A-Z])[\w.&' -]{0,23}\)")  # "(Pvt)", "(Hong Kong)"


def company_runs(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of every company name in ``text`` that ends with a legal suffix, start to suffix end."""
    for suffix in _SUFFIX.finditer(text):
        line_start = text.rfind("\n", 0, suffix.start()) + 1
        line_end = text.find("\n", suffix.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if _headline(line):
            continue
        start = _name_start(text, line_start, suffix.start())
        if start is not None:
            yield start, suffix.end()


def _name_start(text: str, line_start: int, suffix_start: int) -> int | None:
    """Where the capitalised words right before a suffix begin, or None when no name word stands there."""
    before = text[line_start:suffix_start].rstrip()
    if before.endswith(","):
        before = before[:-1]  # "Acme Holdings, Inc."
    tokens = list(_TOKEN.finditer(before))
    start: int | None = None
    words = 0
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index].group()
        if words == MAX_NAME_WORDS:
            break
        if token in _CONNECTORS:
            if start is None or index == 0 or not _name_word(tokens[index - 1].group()):
                break
            continue  # "Bank of Kunlun", "Lemus y Asociados": only between name words
        if _BRACKETED.fullmatch(token):
            continue  # "Indus Precision Works (Pvt) Ltd": a qualifier inside the name
        if not _name_word(token):
            break
        start = tokens[index].start()
        words += 1
    if start is None or not any(c.islower() for c in before[start:]):
        return None  # no name, or an all-capitals run ("EU SANCTIONS AS …")
    return line_start + start


def _headline(line: str) -> bool:
    """A line in Title Case with no full stop at its end (a headline), or in capitals: its capitals say
    nothing about names. (A sentence crowded with names ends with a full stop.)"""
    stripped = line.rstrip()
    if stripped.upper() == stripped:
        return True
    return is_title_case(stripped.split()) and not stripped.endswith((".", '."', ".”"))


def _name_word(token: str) -> bool:
    """A capitalised word that can be part of a company's name."""
    if not token[0].isupper() and not token[0].isdigit():
        return False
    if token[-1] in ',;:!?"“”)' or token.endswith(("'s", "’s")) or is_not_name(token):
        return False
    if token.rstrip(".").isdigit():
        return False  # a list's number ("1. Mangrove Petrochemical FZE …") or a year
    if token.endswith(".") and len(token) > 4:
        return False  # a sentence's last word ("… in Minsk. Orlov Bunkering JSC"), not "Co." or "Inc."
    parts = token.split("-")
    return all(part[:1].isupper() or part[:1].isdigit() for part in parts if part)  # not "Minsk-registered"
