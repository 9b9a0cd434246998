"""Silences: a person says "not about this for a while" — by rule, key and/or subscriber, until a time.

A silence matches when every part it names matches (an empty part matches anything). Parts are shell-style
patterns compared without regard to case: ``--key 'Lukoil*'`` silences "Lukoil" and "Lukoil, Rosneft".
Storage keeps the silences; this module only decides which one, if any, covers an alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Protocol


class SilenceLike(Protocol):
    """What matching needs of a stored silence (``storage.SilenceRecord`` has these fields)."""

    @property
    def id(self) -> int: ...
    @property
    def rule_id(self) -> str | None: ...
    @property
    def key(self) -> str | None: ...
    @property
    def subscriber(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...


def silence_for(
    silences: Iterable[SilenceLike], rule_id: str, key: str, subscriber: str, now: datetime
) -> SilenceLike | None:
    """The first silence in force at ``now`` that covers this rule, key and subscriber, or None."""
    for silence in silences:
        if silence.expires_at <= now:
            continue
        if (
            _fits(silence.rule_id, rule_id)
            and _fits(silence.key, key)
            and _fits(silence.subscriber, subscriber)
        ):
            return silence
    return None


def silence_note(silence: SilenceLike) -> str:
    """The note recorded with a silenced alert."""
    until = silence.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    reason = f": {silence.reason}" if silence.reason else ""
    return f"silenced by silence #{silence.id} until {until}{reason}"


def _fits(pattern: str | None, value: str) -> bool:
    return not pattern or fnmatchcase(value.casefold(), pattern.casefold())
