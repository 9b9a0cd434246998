"""Finding watch-listed names in text: one Aho-Corasick pass, whatever the number of names.

Used by both pipelines: the rules-only pipeline calls it on the text directly; the statistical pipeline runs
it as a spaCy component before the entity recogniser, so a listed name is an entity even when the model
misses it ("LSEG") or would swallow it into a longer span ("Lukoil and Rosneft" as one ORG).

A name matches on word boundaries only ("Eni" not inside "Enigma"); where names overlap, the leftmost and
then the longest wins ("Rosneft Oil Company" over "Rosneft").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from monitor.enrichment.watchlists import WatchEntry, Watchlist


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
            if not chosen or start >= chosen[-1].end:
                chosen.append(NameMatch(start, -negative_end, self.entries[index]))
        return chosen


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
