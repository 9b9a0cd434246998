"""When a subscriber hears about an alert: now, at the next digest, or when their quiet hours end.

Pure functions of the subscriber's settings and ``now``: the planner stores the release time with a held
alert, and the digest step sends everything held for a subscriber in one message once that time has come.
So a daemon that is down at 08:00 sends the 08:00 digest when it is back, and nothing is held in memory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from monitor.alerting.cron import parse_cron
from monitor.settings.models import QuietHoursSettings, SubscriberSettings

DIGEST = "digest"
QUIET_HOURS = "quiet hours"


@dataclass(frozen=True)
class Hold:
    """Keep the alert until ``until`` (UTC), because of ``reason`` ("digest" or "quiet hours")."""

    until: datetime
    reason: str


def hold_for(subscriber: SubscriberSettings, severity: str, now: datetime) -> Hold | None:
    """None when the alert goes out now; else until when, and why, it is held.

    A digest subscriber's alerts wait for the next firing of ``digest_schedule``, moved to the end of the
    quiet hours when it falls inside them. Otherwise an alert waits only during quiet hours. With
    ``critical_bypass`` a critical alert never waits.
    """
    if subscriber.critical_bypass and severity == "critical":
        return None
    zone = zone_of(subscriber)
    if subscriber.mode == DIGEST:
        fires = parse_cron(subscriber.digest_schedule).next_after(now, zone)
        later = quiet_until(subscriber.quiet_hours, fires, zone)
        return Hold(later or fires, DIGEST)
    until = quiet_until(subscriber.quiet_hours, now, zone)
    return Hold(until, QUIET_HOURS) if until else None


def quiet_until(quiet: QuietHoursSettings | None, moment: datetime, zone: tzinfo) -> datetime | None:
    """The end (UTC) of the quiet hours ``moment`` falls in, or None when it falls outside them.

    ``start`` after ``end`` spans midnight (22:00–07:00); equal times mean no quiet hours.
    """
    if quiet is None or quiet.start == quiet.end:
        return None
    local = moment.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    today = local.date()
    if quiet.start < quiet.end:
        inside, end_day = quiet.start <= clock < quiet.end, today
    elif clock >= quiet.start:
        inside, end_day = True, today + timedelta(days=1)
    else:
        inside, end_day = clock < quiet.end, today
    if not inside:
        return None
    return _at(end_day, quiet.end, zone)


def _at(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock.replace(tzinfo=None)).replace(tzinfo=zone).astimezone(UTC)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_of(subscriber: SubscriberSettings) -> ZoneInfo:
    """The subscriber's time zone (validated when the settings were loaded)."""
    return _zone(subscriber.timezone)
