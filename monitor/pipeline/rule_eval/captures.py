"""Whether a match captured what a label expects: the comparison the label format promises.

Lists compare as sets; text case- and accent-insensitively ("Erdoğan" is "Erdogan": a watch list's canonical
spelling may drop the accents the article writes) with whitespace normalised and a final full stop ignored
("Sonbong Trading Co." at the end of a sentence is "Sonbong Trading Co": the stop is the abbreviation's
and the sentence's at once, and writers label it either way); numbers (or text that reads as
a number, "2.33e6") within 0.5 %; a mapping checks only the keys the label lists, like the labeled
captures themselves. A single value and a one-element list are the same set ("authority: European Union"
against a capture ``["European Union"]``). Captures the label does not list are never checked.

A watch-listed person is captured by the watch list's canonical name, so that a rule's key stays the same
whichever spelling an article uses ("Aleksandr Lukashenko" and "Alexander Lukashenko" are one key); a label
names people as the article writes them. So a labeled name also equals the canonical name the watch list
gives to that name where the article writes it (``aliases``: written text → canonical, from the article's
enrichment): "Kenyatta" in an article that names "Uhuru Kenyatta" is the capture "Uhuru Kenyatta".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from monitor.domain import EntitySpan

NUMBER_TOLERANCE = 0.005
"""Relative: 2,330,000 and 2,320,000 barrels per day are the same labeled figure; 2,300,000 is not."""


def capture_differences(
    expected: Mapping[str, Any], captures: Mapping[str, Any], aliases: Mapping[str, str] | None = None
) -> list[str]:
    """One line per labeled capture the match got wrong: "target: expected [A, B], got [A]"."""
    return [
        f"{name}: expected {_show(wanted)}, got {_show(captures.get(name))}"
        for name, wanted in expected.items()
        if not same(wanted, captures.get(name), aliases or {})
    ]


def watch_list_aliases(entities: Iterable[EntitySpan]) -> dict[str, str]:
    """Each watch-listed name as the article writes it → its canonical name, both normalised."""
    return {_text(entity.text): _text(entity.canonical) for entity in entities if entity.canonical}


def same(wanted: Any, got: Any, aliases: Mapping[str, str] | None = None) -> bool:
    """``got`` (a match's capture) is what ``wanted`` (a label) says, by the rules in the module doc."""
    aliases = aliases or {}
    if isinstance(wanted, Mapping):
        return isinstance(got, Mapping) and all(
            same(value, got.get(key), aliases) for key, value in wanted.items()
        )
    if isinstance(wanted, list) or isinstance(got, list | tuple):
        return _same_set(_as_list(wanted), _as_list(got), aliases)
    return _same_scalar(wanted, got, aliases)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _same_set(wanted: list[Any], got: list[Any], aliases: Mapping[str, str]) -> bool:
    """Every labeled item has its own equal in ``got`` and nothing is left over (duplicates collapse)."""
    left = _distinct(wanted)
    right = _distinct(got)
    if len(left) != len(right):
        return False
    unused = list(right)
    for item in left:
        partner = next((other for other in unused if _same_scalar(item, other, aliases)), None)
        if partner is None:
            return False
        unused.remove(partner)
    return True


def _distinct(values: list[Any]) -> list[Any]:
    found: list[Any] = []
    for value in values:
        if not any(_same_scalar(value, seen) for seen in found):
            found.append(value)
    return found


def _same_scalar(wanted: Any, got: Any, aliases: Mapping[str, str] | None = None) -> bool:
    if got is None or isinstance(got, Mapping | list | tuple):
        return False
    if isinstance(wanted, bool) or isinstance(got, bool):
        return wanted is got
    left, right = _number(wanted), _number(got)
    if left is not None and right is not None:
        scale = max(abs(left), abs(right))
        return abs(left - right) <= NUMBER_TOLERANCE * scale
    written, captured = _text(wanted), _text(got)
    return written == captured or (aliases or {}).get(written) == captured


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", str(value)) if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold().removesuffix(".")


def _show(value: Any) -> str:
    """A capture as one line: items joined, whitespace (a name's trailing line break) collapsed."""
    if value is None:
        return "nothing"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_one_line(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_one_line(item)}" for key, item in value.items()) + "}"
    return repr(_one_line(value)) if isinstance(value, str) else str(value)


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())
