"""Finding watch-listed names in text: one Aho-Corasick pass, whatever the number of names.

Used by both pipelines: the rules-only pipeline calls it on the text directly; the statistical pipeline runs
it as a spaCy component before the entity recogniser, so a listed name is an entity even when the model
misses it ("LSEG") or would swallow it into a longer span ("Lukoil and Rosneft" as one ORG).

A name matches on word boundaries only ("Eni" not inside "Enigma"); where names overlap, the leftmost and
then the longest wins ("Rosneft Oil Company" over "Rosneft"). A person's one-word alias right after another
first name is someone else of that family ("Hunter Biden", "Melania Trump"), not the listed person; after a
title or a word that only introduces them ("President Biden", "Then Biden") it is the listed person. A
listed place after a first name is a person's name ("Luís Montenegro"), left to the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from monitor.domain.name_words import WORD, introduces_name, is_title_case
from monitor.enrichment.watchlists import WatchEntry, Watchlist

PERSON = "PERSON"
PLACE = "GPE"


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    entry: WatchEntry


class NameMatcher:
    """Every name and alias of the given watch lists; ``find`` is safe to call from any thread."""

    def __init__(self, watchlists: Sequence[Watchlist]) -> None:
        self.entries = tuple(entry for watchlist in watchlists for entry in watchlist.entries)
        self._any_case = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        for index, entry in enumerate(self.entries):
            for name in entry.names:
                automaton, key = (
                    (self._exact, name) if entry.case_sensitive else (self._any_case, lower_same_length(name))
                )
                automaton.add_word(key, (len(key), index))
        for automaton in (self._any_case, self._exact):
            if len(automaton):
                automaton.make_automaton()

    def find(self, text: str) -> list[NameMatch]:
        """The names in ``text``, left to right, without overlaps."""
        found: list[tuple[int, int, int]] = []
        for automaton, haystack in ((self._any_case, lower_same_length(text)), (self._exact, text)):
            if not len(automaton):
                continue
            for last, (length, index) in automaton.iter(haystack):
                start, end = last - length + 1, last + 1
                if _is_word_boundary(text, start) and _is_word_boundary(text, end):
                    found.append((start, -end, index))
        chosen: list[NameMatch] = []
        for start, negative_end, index in sorted(found):
            if chosen and start < chosen[-1].end:
                continue
            match = NameMatch(start, -negative_end, self.entries[index])
            if not _someone_else(text, match, chosen[-1] if chosen else None):
                chosen.append(match)
        return chosen


def _someone_else(text: str, match: NameMatch, before: NameMatch | None) -> bool:
    """Whether a listed one-word name is part of another name: a person's surname after another first
    name ("Hunter Biden", "J. Trump": a relative or namesake), a country after a first name ("Luís
    Montenegro"). Not in a Title Case line, where every word is capitalised."""
    label = match.entry.label
    if label not in {PERSON, PLACE} or " " in text[match.start : match.end]:
        return False
    gap_start = match.start
    while gap_start > 0 and text[gap_start - 1] == " ":
        gap_start -= 1
    if gap_start == match.start or (before is not None and before.end == gap_start):
        return False
    words = _capitalised_before(text, gap_start)
    if (
        not words
        or not _first_name_like(words[-1])
        or _own_words(match.entry) & {w.rstrip(".") for w in words}
    ):
        return False
    if _opens_sentence(text, gap_start - len(words[-1])):  # "Second Maduro-Ali meeting", "No Putin visit"
        return False
    line_start = text.rfind("\n", 0, match.start) + 1
    line_end = text.find("\n", match.start)
    return not is_title_case(WORD.findall(text, line_start, line_end if line_end >= 0 else len(text)))


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a line or a sentence, where any word is capitalised: it may be
    a first name or not ("Hunter Biden said", "Second Biden visit"), so it is no evidence either way."""
    before = text[:start].rstrip(" \t\"'“‘([")
    return not before or before.endswith(("\n", ".", "!", "?", ":", ";", "—", "–", "-"))


def _capitalised_before(text: str, end: int, most: int = 3) -> list[str]:
    """Up to ``most`` words ending at ``end``, left to right, back to the first that is not capitalised
    or not separated by spaces only: "Bola Ahmed" before "Tinubu"."""
    words: list[str] = []
    while len(words) < most:
        start = end
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] in "-.’'"):
            start -= 1
        word = text[start:end]
        if not word[:1].isupper():
            break
        words.insert(0, word)
        end = start
        while end > 0 and text[end - 1] == " ":
            end -= 1
        if end == start:
            break
    return words


def _first_name_like(word: str) -> bool:
    """A capitalised word that could be a given name: "Hunter", "Jean-Luc", an initial "J."; not an
    acronym ("US"), a possessive ("Russia's") or a title ("President", "Ex-PM")."""
    bare = word.rstrip(".")
    if not bare or not bare[0].isupper() or word.endswith(("'s", "’s")) or introduces_name(word):
        return False
    if len(bare) == 1:
        return word.endswith(".")
    if word.endswith("."):  # "… at the White House. Trump said": the word ends a sentence
        return False
    return not bare.isupper() and bare.replace("-", "").replace("'", "").replace("’", "").isalpha()


def _own_words(entry: WatchEntry) -> set[str]:
    """The words of the entry's own names: "Recep Erdogan" and "Bola Ahmed Tinubu" are still the listed
    Recep Tayyip Erdogan and Bola Tinubu."""
    return {word.rstrip(".") for name in entry.names for word in name.split()}


def lower_same_length(text: str) -> str:
    """Lower case with the length kept, so offsets into the lowered text are offsets into the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)  # "İ" lowers to two characters


def _is_word_boundary(text: str, offset: int) -> bool:
    if offset <= 0 or offset >= len(text):
        return True
    return not (text[offset - 1].isalnum() and text[offset].isalnum())
