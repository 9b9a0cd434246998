"""Feed dates → timezone-aware UTC ``datetime``.

feedparser already parses the many date dialects of RSS and Atom into UTC ``struct_time``; this module turns
those into datetimes and covers what feedparser does not: RFC 3339 dates of JSON Feed, and RFC 822 dates
written with localised day and month names (``Seg, 24 Set 2018 19:42:40 -0300`` from a Brazilian feed, which
feedparser leaves unparsed). A date without a zone is taken as UTC: guessing the publisher's zone is worse.

A date outside ``EARLIEST``..``LATEST`` (``9999-12-31T23:59:59-23:59``, ``0001-01-01``) is no date at all:
it reads as None, so the entry falls back to its fetch time and is flagged ``date_is_fallback``, exactly
like an entry without a date. Such values are placeholders or attacks, never news, and kept as they were
they overflow the arithmetic of every later step (``OverflowError`` out of a whole poll cycle).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Final

EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)  # before any web feed: a placeholder such as 0001-01-01
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive; 9999-12-31 and the like

# Month abbreviations in the languages news feeds are written in (pt, es, fr, de, it, nl) → English.
_MONTHS = {
    "jan": "Jan", "janv": "Jan", "ene": "Jan", "gen": "Jan",
    "feb": "Feb", "fev": "Feb", "fév": "Feb", "févr": "Feb", "fevr": "Feb",
    "mar": "Mar", "mär": "Mar", "mrz": "Mar", "mrt": "Mar", "mars": "Mar",
    "apr": "Apr", "abr": "Apr", "avr": "Apr",
    "may": "May", "mai": "May", "mag": "May", "mei": "May",
    "jun": "Jun", "juin": "Jun", "giu": "Jun",
    "jul": "Jul", "juil": "Jul", "lug": "Jul",
    "aug": "Aug", "ago": "Aug", "août": "Aug", "aout": "Aug",
    "sep": "Sep", "sept": "Sep", "set": "Sep",
    "oct": "Oct", "out": "Oct", "okt": "Oct", "ott": "Oct",
    "nov": "Nov",
    "dec": "Dec", "dez": "Dec", "déc": "Dec", "dic": "Dec",
}  # fmt: skip
# Zone abbreviations email.utils does not know (it knows UT, GMT and the US zones).
_ZONES = {
    "CET": "+0100", "CEST": "+0200", "MEZ": "+0100", "MESZ": "+0200", "WET": "+0000", "WEST": "+0100",
    "EET": "+0200", "EEST": "+0300", "BST": "+0100", "MSK": "+0300", "JST": "+0900", "KST": "+0900",
    "AEST": "+1000", "AEDT": "+1100", "BRT": "-0300", "HKT": "+0800", "SGT": "+0800",
}  # fmt: skip
_WEEKDAY_PREFIX = re.compile(r"^\s*[^\W\d_]+\.?\s*,\s*")
_WORD = re.compile(r"[^\W\d_]+\.?")


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def from_struct_time(value: time.struct_time | tuple[int, ...] | None) -> datetime | None:
    """A feedparser ``*_parsed`` value (always UTC) as a datetime; None when absent or out of range."""
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        return _sane(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except (TypeError, ValueError, OverflowError):
        return None


def parse_date(text: str | None) -> datetime | None:
    """An RFC 3339 / ISO 8601 or (possibly localised) RFC 822 date in UTC; None when unreadable or
    outside ``EARLIEST``..``LATEST``."""
    if not text or not text.strip():
        return None
    text = text.strip()
    parsed = _parse_iso(text) or _parse_rfc822(text) or _parse_rfc822(_delocalise(text))
    return _sane(parsed) if parsed is not None else None


def _sane(value: datetime) -> datetime | None:
    return value if EARLIEST <= value < LATEST else None


def _parse_iso(text: str) -> datetime | None:
    if not text[:4].isdigit():
        return None
    try:
        return to_utc(datetime.fromisoformat(text))
    except (ValueError, OverflowError):  # 9999-12-31T23:59:59-23:59 is past datetime.max in UTC
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        zone = text.rsplit(None, 1)[-1].upper()
        offset = _ZONES.get(zone)
        if offset is not None:
            sign = -1 if offset[0] == "-" else 1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            parsed = parsed.replace(tzinfo=timezone(sign * delta))
    try:
        return to_utc(parsed)
    except OverflowError:
        return None


def _delocalise(text: str) -> str:
    """Drop the weekday and translate localised month names and zones so ``email.utils`` can read it."""
    text = _WEEKDAY_PREFIX.sub("", text)

    def translate(match: re.Match[str]) -> str:
        word = match.group(0)
        key = word.rstrip(".").lower()
        if key in _MONTHS:
            return _MONTHS[key]
        return _ZONES.get(word.upper(), word)

    return _WORD.sub(translate, text)
