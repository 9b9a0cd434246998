"""The units a ``scope: paragraph`` (or ``sentence``) rule reads the model's findings in.

Such a rule must hold within one paragraph. Its words, regexes, watch-listed names and figures (known
without the model) already say in which paragraphs it could: ``optimistic.possible_units``. The model's
names and parses count only there — a PERSON in a paragraph with no meeting word and no political word is
nobody's summit partner — so enrichment on demand sends only those paragraphs to the model (needs.py), and
the evaluator hides the model's findings elsewhere from the rule (evaluate.py), in every enrichment mode
alike: "enrich everything" and "on demand" give a rule the same evidence.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from monitor.domain import Enrichment, Window
from monitor.rules.text import Layout


def unit_windows(text: str, layout: Layout, scope: str, units: Collection[int]) -> tuple[Window, ...]:
    """The character ranges of ``units`` (paragraphs: lines of ``text``; sentences: ``layout``'s)."""
    starts = layout.paragraph_starts if scope == "paragraph" else layout.sentence_starts
    bounds = [*starts, len(text)]
    return tuple((bounds[unit], bounds[unit + 1]) for unit in sorted(units) if unit + 1 < len(bounds))


def within_units(enrichment: Enrichment, layout: Layout, scope: str, units: Collection[int]) -> Enrichment:
    """``enrichment`` with the model's entities and parses outside ``units`` removed; watch-listed names
    and figures (found without the model) stay everywhere."""
    unit_at = layout.paragraph_at if scope == "paragraph" else layout.sentence_at
    entities = tuple(e for e in enrichment.entities if e.watchlist is not None or unit_at(e.start) in units)
    parses = tuple(p for p in enrichment.parses if unit_at(p.start) in units)
    if len(entities) == len(enrichment.entities) and len(parses) == len(enrichment.parses):
        return enrichment
    return replace(enrichment, entities=entities, parses=parses)


def clip(windows: Sequence[Window], allowed: Sequence[Window]) -> tuple[Window, ...]:
    """The parts of ``windows`` inside ``allowed`` (both sorted lists of ranges)."""
    return tuple((max(s, a), min(e, b)) for s, e in windows for a, b in allowed if max(s, a) < min(e, b))
