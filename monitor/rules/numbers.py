"""Numbers as rules write them: figures (``2.33 million``), comparisons (``>= 1e5``), changes (``>=5%``).

Shared by the ``quantity`` predicate (thresholds), the ``changed_by`` gate and example checks; each parser
raises ``ValueError`` with a message a person can act on, which the schema shows where the value was written.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

_NUMBER = r"[-+]?\d[\d,_]*(?:\.\d+)?(?:e[-+]?\d+)?(?:\s*(?:thousand|million|billion|k|m|bn))?"
_COMPARISON = re.compile(rf"^\s*(>=|<=|==|=|>|<)\s*({_NUMBER})\s*$", re.IGNORECASE)
_BETWEEN = re.compile(rf"^\s*between\s+({_NUMBER})\s+and\s+({_NUMBER})\s*$", re.IGNORECASE)
_CHANGE = re.compile(rf"^\s*(>=|>)\s*({_NUMBER})\s*(%?)\s*$", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
    "==": operator.eq, "=": operator.eq,
}  # fmt: skip


def parse_number(text: str) -> float:
    """``"2.33 million"`` → 2330000.0; ``"850,000"`` → 850000.0."""
    found = re.fullmatch(
        r"\s*([-+]?[\d,_.e+-]+?)\s*(thousand|million|billion|k|m|bn)?\s*", text, re.IGNORECASE
    )
    if found is None:
        raise ValueError(f"'{text}' is not a number")
    return float(found.group(1).replace(",", "").replace("_", "")) * _SCALE.get(
        (found.group(2) or "").lower(), 1
    )


@dataclass(frozen=True)
class Comparison:
    """``value >= 100000``, or ``low <= value <= high`` for ``between``."""

    text: str
    test: Callable[[float], bool]


def parse_comparison(text: str) -> Comparison:
    found = _COMPARISON.match(text)
    if found:
        op, limit = _OPERATORS[found.group(1)], parse_number(found.group(2))
        return Comparison(" ".join(text.split()), lambda value: op(value, limit))
    found = _BETWEEN.match(text)
    if found:
        low, high = sorted((parse_number(found.group(1)), parse_number(found.group(2))))
        return Comparison(" ".join(text.split()), lambda value: low <= value <= high)
    raise ValueError(f"'{text}' is not a comparison: write '>= 100000', '< 5e6' or 'between 1e5 and 2e7'")


@dataclass(frozen=True)
class Change:
    """``changed_by: ">=5%"`` (relative) or ``">= 50000"`` (absolute), in either direction."""

    text: str
    amount: float
    percent: bool
    strict: bool  # ">" rather than ">="

    def reached(self, previous: float, current: float) -> bool:
        delta = abs(current - previous)
        if self.percent:
            if previous == 0:
                return current != 0
            delta = delta / abs(previous) * 100
        return delta > self.amount if self.strict else delta >= self.amount


def parse_change(text: str) -> Change:
    found = _CHANGE.match(text)
    if found is None:
        raise ValueError(f"'{text}' is not a change: write '>=5%' (relative) or '>= 50000' (absolute)")
    return Change(
        " ".join(text.split()), parse_number(found.group(2)), bool(found.group(3)), found.group(1) == ">"
    )
