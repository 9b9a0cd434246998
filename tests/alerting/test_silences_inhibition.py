"""Silences by rule, key and subscriber patterns; inhibition of a lesser alert by a more decisive one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from monitor.alerting import PastMatch, inhibition_for, silence_for, silence_note
from monitor.settings.models import InhibitSettings

NOW = datetime(2025, 10, 23, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Silence:
    id: int = 1
    rule_id: str | None = None
    key: str | None = None
    subscriber: str | None = None
    reason: str = "known"
    expires_at: datetime = NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("silence", "covers"),
    [
        (Silence(rule_id="sanctions-new"), True),
        (Silence(rule_id="summit-status"), False),
        (Silence(key="lukoil, rosneft"), True),  # case does not matter
        (Silence(key="Lukoil*"), True),
        (Silence(key="Rosneft"), False),
        (Silence(rule_id="sanctions-*", subscriber="desk"), False),
        (Silence(rule_id="sanctions-*", subscriber="analysts"), True),
        (Silence(rule_id="sanctions-new", expires_at=NOW), False),  # ended
    ],
)
def test_which_silence_covers_an_alert(silence: Silence, covers: bool) -> None:
    found = silence_for([silence], "sanctions-new", "Lukoil, Rosneft", "analysts", NOW)
    assert (found is not None) is covers


def test_the_silence_note_says_which_until_when_and_why() -> None:
    assert silence_note(Silence(id=7)) == "silenced by silence #7 until 2025-10-25 12:00 UTC: known"


SUMMIT = InhibitSettings(
    source_rule="summit-status",
    source_state="cancelled",
    target_rule="summit-status",
    target_state="postponed",
    within_s=86400,
)


def past(*found: PastMatch) -> object:
    def lookup(rule_id: str, since: datetime) -> list[PastMatch]:
        return [m for m in found if m.rule_id == rule_id and m.at >= since]

    return lookup


@pytest.mark.parametrize(
    ("state", "earlier", "inhibited"),
    [
        ("postponed", [PastMatch("summit-status", "cancelled", NOW - timedelta(hours=3))], True),
        (
            "postponed",
            [PastMatch("summit-status", "cancelled", NOW - timedelta(days=2))],
            False,
        ),  # too long ago
        ("postponed", [PastMatch("summit-status", "planned", NOW - timedelta(hours=3))], False),
        ("held", [PastMatch("summit-status", "cancelled", NOW - timedelta(hours=3))], False),  # not a target
        ("postponed", [], False),
    ],
)
def test_cancelled_inhibits_postponed_for_the_same_key_within_the_window(
    state: str, earlier: list[PastMatch], inhibited: bool
) -> None:
    note = inhibition_for([SUMMIT], "summit-status", {"state": state}, past(*earlier), NOW)  # type: ignore[arg-type]
    assert (note is not None) is inhibited
    if note:
        assert note.startswith("inhibited by summit-status 'cancelled' at 2025-10-23 09:00 UTC")
