"""Durations as rules and commands write them: ``90s``, ``15m``, ``12h``, ``7d``, ``2w``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}


def parse_duration(text: str) -> timedelta:
    """``"12h"`` → 12 hours; raises ``ValueError`` with a message a person can act on."""
    found = _DURATION.match(text)
    if found is None:
        raise ValueError(
            f"'{text}' is not a duration: write a number and a unit, as in 90s, 15m, 12h, 7d, 2w"
        )
    amount = float(found.group(1))
    if amount <= 0:
        raise ValueError(f"'{text}': a duration must be longer than zero")
    return timedelta(**{_UNITS[found.group(2)]: amount})


def format_duration(value: timedelta) -> str:
    """The shortest exact spelling: 1 day → ``1d``, 36 hours → ``36h``."""
    seconds = int(value.total_seconds())
    for unit, size in _SECONDS.items():
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{value.total_seconds():g}s"


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        return value
    raise ValueError("write a duration with its unit, as in 90s, 15m, 12h, 7d, 2w")


Duration = Annotated[timedelta, BeforeValidator(_duration)]
"""A pydantic field type: a duration written as text, checked where it was written."""
