"""Sentences and words of an article's text, for proximity (``same_sentence_as``, ``within``) and negation.

The rules package may not use spaCy (enrichment is its only home), so it splits text itself, with a
deliberately plain splitter: a sentence ends at a line break, or at ``.``/``!``/``?`` followed by space and
a capital, digit or quote, or glued to a capitalised word after a word of three letters or more (the
tags of "April.<br>Previously" stripped) — unless the word before the period is an initial (``U.S.``, ``J.``) or a common
abbreviation (``Mr.``, ``Corp.``, ``Oct.``). Entity and quantity offsets from enrichment are placed in these
sentences by their character offsets, so every proximity test uses one segmentation.

Words are ``\\w+`` runs (``Trump’s`` is one word). They are only ever counted inside one sentence, on
demand, so an article costs one pass for its sentence starts and nothing per word.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.domain.abbreviations import is_abbreviation

_PUNCTUATION = re.compile(r"[.!?]+[\"'”’)\]]*")  # starts with a character set: re scans for it quickly
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_OPENERS = "\"'“‘(["
_GLUED = re.compile(r"[A-Z][a-z]{2,}\b(?!\.\w)")  # a capitalised word glued to the period before it
_GLUED_BEFORE = re.compile(r"[A-Za-z][a-z]{2,}$")  # ... after a word of three letters or more (not "e.g")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_NEGATION_REACH = 80  # characters before a word searched for its three predecessors


@dataclass(frozen=True)
class Layout:
    """Where the sentences of one text start; words are counted within a sentence when asked."""

    text: str
    sentence_starts: tuple[int, ...]

    def sentence_at(self, offset: int) -> int:
        """The 0-based sentence holding ``offset``."""
        return max(bisect.bisect_right(self.sentence_starts, offset) - 1, 0)

    @functools.cached_property
    def _line_breaks(self) -> list[int]:
        return [found.start() for found in re.finditer("\n", self.text)]

    @functools.cached_property
    def paragraph_starts(self) -> tuple[int, ...]:
        """Where each paragraph (line) starts."""
        return (0, *(b + 1 for b in self._line_breaks))

    def paragraph_at(self, offset: int) -> int:
        """The 0-based paragraph (line: the title, the summary and each paragraph) holding ``offset``."""
        return bisect.bisect_left(self._line_breaks, offset)

    @functools.cached_property
    def _filled_paragraphs(self) -> tuple[int, ...]:
        """The paragraphs (lines) with text: the blank line between two paragraphs is a line too."""
        ends = [*self._line_breaks, len(self.text)]
        bounds = zip(self.paragraph_starts, ends, strict=True)
        return tuple(i for i, (start, end) in enumerate(bounds) if self.text[start:end].strip())

    def around(self, units: Iterable[int], reach: int, paragraphs: bool) -> frozenset[int]:
        """``units`` and the ``reach`` units before and after each: paragraphs with text (blank lines
        skipped), or sentences."""
        if not paragraphs:
            return frozenset(max(u + step, 0) for u in units for step in range(-reach, reach + 1))
        filled = self._filled_paragraphs
        found: set[int] = set()
        for unit in units:
            at = bisect.bisect_left(filled, unit)
            after = at + 1 if at < len(filled) and filled[at] == unit else at
            found.update((unit, *filled[max(at - reach, 0) : at], *filled[after : after + reach]))
        return frozenset(found)

    def sentence_start(self, index: int) -> int:
        return self.sentence_starts[index] if index < len(self.sentence_starts) else 0

    def sentence_end(self, offset: int) -> int:
        """Where the sentence holding ``offset`` ends: the next one's start, or the end of the text."""
        index = self.sentence_at(offset) + 1
        return self.sentence_starts[index] if index < len(self.sentence_starts) else len(self.text)

    def words_apart(self, end: int, start: int) -> int:
        """How many words from text ending at ``end`` to text starting at ``start`` (``end <= start``):
        the words in between plus the one at ``start``, so adjacent words are 1 apart."""
        return len(_WORD.findall(self.text, end, start + 1))

    def words_before(self, offset: int, count: int) -> list[tuple[int, int]]:
        """The (start, end) of up to ``count`` words of its sentence that end before ``offset``, nearest last."""
        floor = max(self.sentence_start(self.sentence_at(offset)), offset - _NEGATION_REACH)
        found = [(m.start(), m.end()) for m in _WORD.finditer(self.text, floor, offset)]
        if found and floor > 0 and found[0][0] == floor and _WORD.match(self.text, floor - 1):
            found = found[1:]  # the window cut a word in two: its tail is not a word of its own
        return found[-count:]


def layout(text: str) -> Layout:
    """Find the sentences of ``text`` (see the module docstring for the rules it follows)."""
    starts = {0}
    for found in _PUNCTUATION.finditer(text):
        after = found.end()
        gap = after
        while gap < len(text) and text[gap].isspace():
            gap += 1
        if gap == len(text):
            continue
        if (
            gap == after
        ):  # no space after it: "U.S", "2.33", "Node.js" go on; "April.Previously" (tags stripped) ends
            glued = _GLUED.match(text, after) and _GLUED_BEFORE.search(
                text, max(found.start() - 40, 0), found.start()
            )
            if glued and not _is_abbreviation(text, found.start()):
                starts.add(after)
            continue
        opener = text[gap + 1] if text[gap] in _OPENERS and gap + 1 < len(text) else text[gap]
        if (opener.isupper() or opener.isdigit()) and not _is_abbreviation(text, found.start()):
            starts.add(gap)
    line = text.find("\n")
    while line != -1:
        while line < len(text) and text[line] == "\n":
            line += 1
        starts.add(line)
        line = text.find("\n", line)
    return Layout(text, tuple(sorted(start for start in starts if start < len(text) or start == 0)))


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the period at ``period`` belongs to an initial or an abbreviation, not a sentence end."""
    start = max(text.rfind(" ", 0, period), text.rfind("\n", 0, period), text.rfind("\t", 0, period)) + 1
    word = text[start:period].lstrip(_OPENERS).lower()
    return is_abbreviation(word) or bool(_DOTTED.fullmatch(word))
