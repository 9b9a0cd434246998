"""Checks across a rule and what surrounds it: names it refers to outside itself, names that collide inside.

- ``watchlist: nosuchlist`` and ``unit: bpd`` compile (a name is a name) but can never hold: the watch
  lists and the canonical units are the enrichment stage's, which this package cannot import. The caller
  that has them passes a ``Vocabulary``; without one these checks are skipped.
- A regex group named like another selection (``place: {regex: 'port of (?P<port>…)'}`` next to a
  selection ``port``) gives one capture two meanings: which one a key or an alert shows would depend on
  which selection was cited. That is an error; the same name for a selection's own group is intended.

Both read the rule as written (``raw``), so they run even when another part of the rule has errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from monitor.rules.lemmas import stem
from monitor.rules.reporter import Reporter

_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")


@dataclass(frozen=True)
class Vocabulary:
    """Names defined outside rule files: watch-list names and canonical units (None: not checked).

    ``read_unit`` turns a unit as articles write it ("bpd") into its canonical name, for the hint.
    """

    watchlists: frozenset[str] | None = None
    units: frozenset[str] | None = None
    read_unit: Callable[[str], str | None] | None = None
    governors: frozenset[str] | None = None  # the words enrichment records as a figure's governing words


def check_names(raw: Mapping[str, Any], reporter: Reporter, vocabulary: Vocabulary) -> None:
    """Every ``watchlist`` and quantity ``unit`` a selection names must exist."""
    for name, selection in _selections(raw):
        if vocabulary.watchlists is not None:
            for path, value in _strings(selection.get("watchlist"), ("match", name, "watchlist")):
                if value not in vocabulary.watchlists:
                    hint = _watchlist_hint(value, vocabulary.watchlists)
                    reporter.error(reporter.value_at(path), f"unknown watch list '{value}'", hint)
        quantity = selection.get("quantity")
        if vocabulary.units is not None and isinstance(quantity, Mapping):
            for path, value in _strings(quantity.get("unit"), ("match", name, "quantity", "unit")):
                if value not in vocabulary.units:
                    hint = _unit_hint(value, vocabulary)
                    reporter.error(reporter.value_at(path), f"unknown unit '{value}'", hint)
        if vocabulary.governors is not None and isinstance(quantity, Mapping):
            stems = {stem(word) for word in vocabulary.governors}
            for key in ("near", "not_near"):
                for path, value in _strings(quantity.get(key), ("match", name, "quantity", key)):
                    if stem(value.lower()) not in stems:
                        reporter.error(
                            reporter.value_at(path),
                            f"'{value}' is never a governing word of a figure, so this test can never see it",
                            "governing words are enrichment's list (monitor/enrichment/units.py GOVERNORS); "
                            "use one of them or add it there",
                        )


def check_group_names(raw: Mapping[str, Any], reporter: Reporter) -> None:
    """A regex group must not be named like another selection of the rule."""
    selections = dict(_selections(raw))
    for name, selection in selections.items():
        for path, pattern in _strings(selection.get("regex"), ("match", name, "regex")):
            for group in dict.fromkeys(_GROUP_NAME.findall(pattern)):
                if group in selections and group != name:
                    reporter.error(
                        reporter.value_at(path),
                        f"regex group '{group}' has the name of selection '{group}': the capture "
                        f"'{group}' would be the group's text or the selection's, depending on the article",
                        f"rename the group or the selection (e.g. '{group}_name')",
                    )


def _selections(raw: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    match = raw.get("match")
    if isinstance(match, Mapping):
        for name, selection in match.items():
            if isinstance(name, str) and isinstance(selection, Mapping):
                yield name, selection


def _strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The strings of a one-or-many value with the path each was written at (type errors are not ours)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (*path, index), item


def _watchlist_hint(name: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if known:
        return f"watch lists: {', '.join(sorted(known))}"
    return "no watch list is defined: write one in a watchlists/ folder next to the rules (docs/rules.md)"


def _unit_hint(unit: str, vocabulary: Vocabulary) -> str:
    canonical = vocabulary.read_unit(unit) if vocabulary.read_unit else None
    if canonical:
        return (
            f"did you mean '{canonical}'? (rules name the canonical unit; '{unit}' is how articles write it)"
        )
    known = sorted(vocabulary.units or ())
    close = difflib.get_close_matches(unit, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    plain = [name for name in known if not name.startswith("currency:")]
    return f"units: {', '.join(plain)}, currency:USD, currency:USD/barrel, … (docs/rules.md lists them all)"
