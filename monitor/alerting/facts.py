"""The fact a match reports — a state, a figure — and whether a later source of the story adds to it.

One alert per story: when another article of the same story matches the same rule and key, the
subscriber gets an *update* only if it reports a different fact (the summit is now "postponed", exports
are now 2.4 million bpd). A rule without a state or a figure reports nothing a later source could change,
so its later sources are only recorded. The fact is what the planner stores with the alert to compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.domain import Match

# Captures that carry the news itself: a state rule's new state, a quantity rule's figure and unit
FACT_CAPTURES = ("state", "value", "unit")
_STATE_TO = "to"


def fact_of(match: Match) -> dict[str, Any]:
    """The match's state and figure (only those present), as JSON-able values."""
    captures = match.captures
    fact: dict[str, Any] = {}
    state = captures.get("state", captures.get(_STATE_TO))
    if isinstance(state, str) and state:
        fact["state"] = state
    value = captures.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        fact["value"] = float(value)
        unit = captures.get("unit")
        if isinstance(unit, str):
            fact["unit"] = unit
    return fact


def is_new(fact: Mapping[str, Any], previous: Mapping[str, Any] | None) -> bool:
    """True when ``fact`` says something the subscriber was not told: another state or another figure."""
    if previous is None:
        return True
    return any(fact.get(name) != previous.get(name) for name in FACT_CAPTURES if name in fact)


def what_happened(captures: Mapping[str, Any]) -> str:
    """One line: the state change ("planned → cancelled") or the figure and its change, else ""."""
    to = captures.get(_STATE_TO, captures.get("state"))
    if isinstance(to, str) and to:
        before = captures.get("from")
        return f"{before} → {to}" if before else f"now {to}"
    value = captures.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        figure = str(captures.get("figure") or format_figure(float(value), captures.get("unit")))
        return figure + _change(captures)
    terms = captures.get("new_terms")
    if isinstance(terms, list) and terms:
        return "new: " + ", ".join(str(term) for term in terms)
    return ""


def what_changed(fact: Mapping[str, Any], previous: Mapping[str, Any] | None) -> str:
    """For an update: what the subscriber heard before, in words ("cancelled", "2.33 million …"), or ""."""
    if not previous:
        return ""
    if "state" in fact and "state" in previous and fact["state"] != previous["state"]:
        return f"{previous['state']} → {fact['state']}"
    if "value" in fact and "value" in previous and fact["value"] != previous["value"]:
        unit = fact.get("unit")
        return f"{format_figure(previous['value'], unit)} → {format_figure(fact['value'], unit)}"
    return ""


def format_figure(value: float, unit: object = None) -> str:
    """``2330000, "barrels_per_day"`` → "2.33 million barrels per day"; small numbers with separators."""
    if abs(value) >= 1e9:
        number = f"{value / 1e9:.3g} billion"
    elif abs(value) >= 1e6:
        number = f"{value / 1e6:.3g} million"
    elif value == int(value):
        number = f"{int(value):,}"
    else:
        number = f"{value:,.2f}"
    return f"{number} {str(unit).replace('_', ' ')}" if unit else number


def _change(captures: Mapping[str, Any]) -> str:
    previous, percent = captures.get("previous_value"), captures.get("change_percent")
    if not isinstance(previous, int | float) or isinstance(previous, bool):
        return ""
    was = format_figure(float(previous), captures.get("unit"))
    if isinstance(percent, int | float) and not isinstance(percent, bool):
        return f" (was {was}; {percent:+g}%)"
    return f" (was {was})"
