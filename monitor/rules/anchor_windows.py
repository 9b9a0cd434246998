"""Where the model must read for one rule: the text around the hits of the selections that anchor its
entity (or parse) predicates.

An entity predicate with ``same_sentence_as: action`` keeps only names in a sentence where ``action`` has a
hit, so the model need read only those sentences. Earlier, the sentences were found from where the anchor's
*literals* occur, which is coarse: the prefilter finds literals inside words ("covered" in "recovered",
"state" in "statement"), and a phrase's rarest word ("companies" of "the companies are") occurs far more
often than the phrase. Here the anchor selection itself is evaluated, with the enrichment known without the
model (watch-listed names, figures), when nothing it reads waits for the model: its hits are then exactly the
ones the final evaluation will see. A selection that reads a parse (``argument: {of: action}``) has its
hits in the sentence of its trigger's hits. Anything else cannot be placed: the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from monitor.domain import Window
from monitor.rules.context import EvalContext
from monitor.rules.selection import Selection

PARAGRAPH = -1
"""A reach: the whole paragraph (a line of the text) around a hit. Other reaches: a number of words around
it in its sentence, or None for its whole sentence."""
Reach = int | None

ENTITY_WORDS = 5
"""Words an entity name may have: a name that ends within N words before a hit may start this much earlier."""


def placeable(name: str, selections: Mapping[str, Selection], free: frozenset[str]) -> bool:
    """Whether the hits of selection ``name`` can be placed without the model (see ``spots``)."""
    return _placeable(name, selections, free, frozenset())


def _placeable(
    name: str, selections: Mapping[str, Selection], free: frozenset[str], seen: frozenset[str]
) -> bool:
    if name in free:
        return True
    selection = selections.get(name)
    if selection is None or name in seen or not selection.predicates:
        return False
    if not all(getattr(predicate, "needs_syntax", False) for predicate in selection.predicates):
        return False
    others = [*_argument_triggers(selection), *_pooled(selection)]
    return all(_placeable(other, selections, free, seen | {name}) for other in others)


def _argument_triggers(selection: Selection) -> list[str]:
    return [name for predicate in selection.predicates for name in getattr(predicate, "references", ())]


def _pooled(selection: Selection) -> list[str]:
    """The selections whose evidence this one may take as its own: ``otherwise`` and ``also``."""
    return [*([selection.otherwise] if selection.otherwise else []), *selection.also]


def spots(
    ctx: EvalContext, selections: Mapping[str, Selection], name: str, free: frozenset[str]
) -> list[Window] | None:
    """Where the hits of selection ``name`` are in the ``text`` field, or could be: exactly, for a selection
    nothing of which waits for the model (evaluated in ``ctx``, made with the enrichment known without it);
    the sentences of its triggers' hits for one that reads a parse; None when that cannot be told."""
    return _spots(ctx, selections, name, free, frozenset())


def _spots(
    ctx: EvalContext,
    selections: Mapping[str, Selection],
    name: str,
    free: frozenset[str],
    seen: frozenset[str],
) -> list[Window] | None:
    view = ctx.view
    if name in free:
        if view.enrichment is None and _reads_enrichment(selections, name, frozenset()):
            return None  # the watch-listed names or figures it reads are not known here
        result = ctx.selection(name)
        if not result.held:
            return []
        return [
            (o, o + len(hit.span.text))
            for hit in result.hits
            if (o := view.text_offset(hit.span)) is not None
        ]
    selection = selections.get(name)
    if selection is None or name in seen:
        return None
    layout = view.layout
    found: list[Window] = []
    for trigger in _argument_triggers(selection):  # an argument is a word of its trigger's sentence
        placed = _spots(ctx, selections, trigger, free, seen | {name})
        if placed is None:
            return None
        found += [
            (layout.sentence_start(layout.sentence_at(s)), layout.sentence_end(max(s, e - 1)))
            for s, e in placed
        ]
    for other in _pooled(selection):
        placed = _spots(ctx, selections, other, free, seen | {name})
        if placed is None:
            return None
        found += placed
    return found


def _reads_enrichment(selections: Mapping[str, Selection], name: str, seen: frozenset[str]) -> bool:
    selection = selections[name]
    return selection.needs_enrichment or any(
        _reads_enrichment(selections, other, seen | {name})
        for other in selection.references
        if other not in seen
    )


def windows(
    ctx: EvalContext,
    selections: Mapping[str, Selection],
    anchors: Mapping[str, Reach],
    free: frozenset[str],
    max_chars: int | None = None,
) -> tuple[Window, ...] | None:
    """The text the model must read so that every name an entity predicate anchored by ``anchors`` (selection
    → reach) could keep is inside it; None: the whole text."""
    text = ctx.view.text("text")
    limit = len(text) if max_chars is None else min(len(text), max_chars)
    layout = ctx.view.layout
    found: list[Window] = []
    for name, reach in anchors.items():
        placed = spots(ctx, selections, name, free)
        if placed is None:
            return None
        for start, end in placed:
            if start >= limit:
                continue
            last = max(start, min(end, limit) - 1)
            if reach == PARAGRAPH:
                found.append((_line_start(text, start), _line_end(text, last, limit)))
                continue
            first = layout.sentence_start(layout.sentence_at(start))
            if reach is None:
                found.append((first, min(layout.sentence_end(last), limit)))
                continue
            stop = min(layout.sentence_end(start), limit)  # distances never cross a sentence boundary
            found.append(
                (
                    max(first, _words_back(text, start, reach + ENTITY_WORDS, first)),
                    _words_on(text, end, reach + 2, stop),
                )
            )
    return merged(found)


def merged(windows: Sequence[Window]) -> tuple[Window, ...]:
    """``windows`` sorted, those that overlap or touch joined, empty ones dropped."""
    joined: list[list[int]] = []
    for start, end in sorted(windows):
        if joined and joined[-1][1] >= start:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return tuple((start, end) for start, end in joined if end > start)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int, limit: int) -> int:
    end = text.find("\n", offset)
    return min(limit, len(text) if end < 0 else end)


_WORD = re.compile(r"\w+(?:['’]\w+)*")  # as text.py counts words
_WORD_CHARS = 30  # characters looked at per word wanted: enough for news, and the sentence bounds it anyway


def _words_back(text: str, offset: int, count: int, floor: int) -> int:
    """Where the ``count``-th word before ``offset`` starts, not before ``floor``."""
    begin = max(floor, offset - count * _WORD_CHARS)
    words = [m.start() for m in _WORD.finditer(text, begin, offset)]
    if len(words) < count:
        return begin
    return words[-count]


def _words_on(text: str, offset: int, count: int, ceiling: int) -> int:
    """Where the ``count``-th word after ``offset`` ends, not after ``ceiling``."""
    if offset >= ceiling:
        return ceiling
    words = [m.end() for m in _WORD.finditer(text, offset, min(ceiling, offset + count * _WORD_CHARS))]
    return words[count - 1] if len(words) >= count else min(ceiling, offset + count * _WORD_CHARS)
