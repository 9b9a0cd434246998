"""Inhibition: a more decisive alert makes a lesser one about the same key pointless for a while.

"The summit is cancelled" makes a later "the summit is postponed" noise: with ``alerting.inhibit`` entries
(``source_rule``/``source_state`` → ``target_rule``/``target_state``, ``within_s``) a match of the target
is recorded instead of sent when the source matched the same key within the window before it. Like
Alertmanager's inhibit rules, but scoped to a key and a time window, because news does not "resolve".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.settings.models import InhibitSettings


@dataclass(frozen=True)
class PastMatch:
    """A match of some rule for the key being decided: its state (if any) and when it was made."""

    rule_id: str
    state: str | None
    at: datetime


def inhibition_for(
    inhibits: Sequence[InhibitSettings],
    rule_id: str,
    fact: Mapping[str, Any],
    past: Callable[[str, datetime], Sequence[PastMatch]],
    now: datetime,
) -> str | None:
    """A note naming what inhibits this match, or None. ``past(rule, since)`` lists that rule's matches
    for the same key since a time (the planner answers it from storage and the batch in hand)."""
    state = fact.get("state")
    for inhibit in inhibits:
        if inhibit.target_rule != rule_id or (inhibit.target_state and inhibit.target_state != state):
            continue
        since = now - timedelta(seconds=inhibit.within_s)
        for source in past(inhibit.source_rule, since):
            if inhibit.source_state and source.state != inhibit.source_state:
                continue
            if source.rule_id == rule_id and source.state == state:
                continue  # the same fact again is not a more decisive one
            what = f"{source.rule_id}" + (f" '{source.state}'" if source.state else "")
            return f"inhibited by {what} at {source.at:%Y-%m-%d %H:%M} UTC (within {inhibit.within_s} s)"
    return None
