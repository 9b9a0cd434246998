"""Capitalised-name anchors: who and what an article is about, found without a model, for story signatures.

Story grouping needs the names two reports share ("Budapest", "Bank of England", "Powell"), not their labels,
and it must not need the statistical model: NER over every article is what enrichment on demand avoids, and a
signature must be the same whether or not the model read the article. So a run of capitalised words is a
name ("Bank of England", "Jerome Powell", "OPEC"), with these exceptions:

- a capitalised function word starts many sentences ("The", "However"), and a title precedes many names
  ("Chair Jerome Powell", "President Lula"): both are dropped from the front;
- a single word at the start of a sentence is a name only when written in capitals ("OPEC said"):
  "Drones hit...", "Imports rose..." are not names, and a real name is found where a sentence mentions it
  again;
- months and weekdays are not names; a line in Title Case ("Fed Holds Rates Steady") says nothing about
  which words are names, so its words are skipped;
- a watch-listed name is already an entity: anchors never overlap one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from monitor.domain import EntitySpan
from monitor.domain.name_words import WORD, is_not_name, is_title_case

NAME_LABEL = "NAME"
_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}][\w’'&.-]*"
_NAME = re.compile(rf"{_WORD}(?:(?:[ ]+(?:of|the|de|del|da|al|bin|van|von|der|la|le|du|y))*[ ]+{_WORD})*")


def name_anchors(text: str, sentence_starts: Sequence[int], taken: Sequence[EntitySpan]) -> list[EntitySpan]:
    """The capitalised names of ``text`` that overlap none of ``taken``, as EntitySpans labelled NAME."""
    title_case = _title_case_sentences(text, sentence_starts)
    found = []
    occupied = sorted((e.start, e.end) for e in taken)
    for match in _NAME.finditer(text):
        start, end, name = _trimmed(match)
        if not name:
            continue
        sentence = max(bisect.bisect_right(sentence_starts, start) - 1, 0)
        if sentence in title_case or _overlaps(occupied, start, end):
            continue
        if (
            " " not in name
            and not name.isupper()
            and _starts_sentence(text, sentence_starts, sentence, start)
        ):
            continue
        found.append(EntitySpan(text=name, label=NAME_LABEL, start=start, end=end, sentence=sentence))
    return found


def _trimmed(match: re.Match[str]) -> tuple[int, int, str]:
    """The match without leading function words or trailing dots/possessives; "" when nothing is left."""
    start = match.start()
    words = match.group().split(" ")
    while words and is_not_name(words[0]):
        start += len(words[0]) + 1
        words = words[1:]
    name = " ".join(words).rstrip(".-’'")
    if name.endswith(("’s", "'s")):
        name = name[:-2]
    if not name or is_not_name(name) or len(name) < 2:
        return start, start, ""
    return start, start + len(name), name


def _starts_sentence(text: str, starts: Sequence[int], sentence: int, offset: int) -> bool:
    begin = starts[sentence] if sentence < len(starts) else 0
    return not text[begin:offset].strip(" \t\n\"'“‘([")


def _title_case_sentences(text: str, starts: Sequence[int]) -> set[int]:
    found = set()
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        if is_title_case(WORD.findall(text, begin, end)):
            found.add(index)
    return found


def _overlaps(occupied: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_left(occupied, (end, end))
    return index > 0 and occupied[index - 1][1] > start
