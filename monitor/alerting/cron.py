"""Cron schedules for digests: ``minute hour day-of-month month day-of-week``, read in a subscriber's zone.

A digest at "08:00 on weekdays" means 08:00 on the subscriber's wall clock, also across a daylight-saving
change, so the schedule is matched against local wall time and only the matching instant is converted
to UTC. The syntax is the common crontab one: ``*``, ``a-b``, ``*/n``, ``a-b/n``, lists ``a,b``, month and
day names (``jan``, ``mon``), ``0`` or ``7`` for Sunday, and ``@hourly``/``@daily``/``@weekly``/``@monthly``.
As in Vixie cron, when both day fields are restricted a day matching either one fires.

A wall time that does not exist (the hour skipped in spring) fires at the same wall time read with the
offset before the change, i.e. an hour later in real time; a repeated one (autumn) fires once, the first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (name, lowest, highest, names for lowest..): the five fields in order
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
MAX_SEARCH_DAYS = 366 * 8  # "29 feb on a monday" fires within 28 years; nothing sane needs more than 8


class CronSyntaxError(ValueError):
    """The expression is not a five-field cron schedule; the message says which field and why."""


@dataclass(frozen=True)
class Cron:
    """A parsed schedule: the allowed values of each field."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday … 6 = Saturday
    any_day: bool  # day of month was "*"
    any_weekday: bool  # day of week was "*"

    def next_after(self, moment: datetime, zone: tzinfo) -> datetime:
        """The first firing strictly after ``moment`` (aware), as an aware UTC datetime."""
        local = moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
        day = local.date()
        for offset in range(MAX_SEARCH_DAYS):
            current = day + timedelta(days=offset)
            if not self._day_matches(current):
                continue
            start = (local.hour, local.minute) if offset == 0 else (0, 0)
            for hour in self.hours:
                if hour < start[0]:
                    continue
                for minute in self.minutes:
                    if (hour, minute) < start:
                        continue
                    wall = datetime(current.year, current.month, current.day, hour, minute)
                    fires = wall.replace(tzinfo=zone).astimezone(UTC)
                    if fires > moment:
                        return fires
        raise CronSyntaxError(f"'{self.text}' never fires")

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.isoweekday() % 7) in self.weekdays
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return in_week
        if self.any_weekday:
            return in_month
        return in_month or in_week


@functools.lru_cache(maxsize=256)
def parse_cron(text: str) -> Cron:
    """Parse ``text``; raise CronSyntaxError saying which field is wrong."""
    expression = MACROS.get(text.strip().lower(), text)
    parts = expression.split()
    if len(parts) != 5:
        raise CronSyntaxError(
            f"a cron schedule has 5 fields (minute hour day month weekday), '{text}' has {len(parts)}"
        )
    values = [_field(part, *spec) for part, spec in zip(parts, _FIELDS, strict=True)]
    weekdays = frozenset(day % 7 for day in values[4])
    cron = Cron(
        text=text,
        minutes=tuple(sorted(values[0])),
        hours=tuple(sorted(values[1])),
        days=frozenset(values[2]),
        months=frozenset(values[3]),
        weekdays=weekdays,
        any_day=parts[2] in ("*", "?"),
        any_weekday=parts[4] in ("*", "?"),
    )
    cron.next_after(datetime(2000, 1, 1, tzinfo=UTC), UTC)  # "30 feb" parses but never fires
    return cron


def _field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    allowed: set[int] = set()
    for item in text.lower().split(","):
        allowed |= _item(item, name, low, high, names)
    return allowed


def _item(item: str, name: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    span, _, step_text = item.partition("/")
    step = _number(step_text, name, 1, high) if step_text else 1
    if span in ("*", "?"):
        first, last = low, high
    elif "-" in span:
        start, _, end = span.partition("-")
        first, last = _value(start, name, low, high, names), _value(end, name, low, high, names)
        if first > last:
            raise CronSyntaxError(f"{name}: range '{span}' runs backwards")
    else:
        first = _value(span, name, low, high, names)
        last = high if step_text else first
    return set(range(first, last + 1, step))


def _value(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if text in names:
        return names.index(text) + (1 if name == "month" else 0)
    return _number(text, name, low, high)


def _number(text: str, name: str, low: int, high: int) -> int:
    if not text.isdigit():
        raise CronSyntaxError(f"{name}: '{text}' is not a number")
    value = int(text)
    if not low <= value <= high:
        raise CronSyntaxError(f"{name}: {value} is outside {low}-{high}")
    return value
