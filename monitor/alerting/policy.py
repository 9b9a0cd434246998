"""What one matching article means for one subscriber: a new alert, an update, or only a recorded source.

The decision is pure: the planner (``monitor.pipeline.alerts``) looks up what the subscriber was told
about this story, rule and key (``Prior``), which silence, inhibition or realert interval applies, and
calls ``decide``. Every outcome but "alert" and "update" sends nothing; all of them are stored as a source
of the story's alert with their note, so ``newsmon alerts show`` can say why a source stayed quiet.

    rule held back the match (new_term seen, state unchanged …)  → recorded (if there is an alert to add to)
    nothing told yet:  silenced › inhibited › throttled › alert
    told before:       nothing new → recorded;  silenced › inhibited › update
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.alerting import facts

ALERT = "alert"
UPDATE = "update"
RECORDED = "recorded"
SILENCED = "silenced"
INHIBITED = "inhibited"
THROTTLED = "throttled"
OUTCOMES = (ALERT, UPDATE, RECORDED, SILENCED, INHIBITED, THROTTLED)
NOTIFYING = frozenset({ALERT, UPDATE})


@dataclass(frozen=True)
class Prior:
    """The story's alert for one rule, key and subscriber as stored: was anything sent, and which fact."""

    notified: bool
    fact: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reasons:
    """Why a notification must not go out now, each a note for the record; None where none applies."""

    silenced: str | None = None
    inhibited: str | None = None
    throttled: str | None = None  # only stops a first alert: an update is news about an alert already sent


@dataclass(frozen=True)
class Decision:
    outcome: str  # one of OUTCOMES
    note: str = ""

    @property
    def notifies(self) -> bool:
        return self.outcome in NOTIFYING


def decide(
    fact: Mapping[str, Any],
    prior: Prior | None,
    reasons: Reasons | None = None,
    *,
    passed: bool = True,
    rule_note: str = "",
) -> Decision | None:
    """The outcome of one match for one subscriber; None when there is nothing to record at all.

    ``passed`` is False for a match the rule's own memory held back (``Evaluation.suppressed``), with the
    rule's reason as ``rule_note``: it is recorded against an existing alert, never sent.
    """
    if not passed:
        return Decision(RECORDED, rule_note or "held back by the rule") if prior is not None else None
    reasons = reasons or Reasons()
    if prior is None or not prior.notified:
        return _first(reasons)
    if not facts.is_new(fact, prior.fact):
        return Decision(RECORDED, _nothing_new(prior.fact))
    if reasons.silenced:
        return Decision(SILENCED, reasons.silenced)
    if reasons.inhibited:
        return Decision(INHIBITED, reasons.inhibited)
    return Decision(UPDATE, facts.what_changed(fact, prior.fact) or "new fact")


def _first(reasons: Reasons) -> Decision:
    for outcome, note in (
        (SILENCED, reasons.silenced),
        (INHIBITED, reasons.inhibited),
        (THROTTLED, reasons.throttled),
    ):
        if note:
            return Decision(outcome, note)
    return Decision(ALERT)


def _nothing_new(told: Mapping[str, Any]) -> str:
    if "state" in told:
        return f"nothing new: state still '{told['state']}'"
    if "value" in told:
        return f"nothing new: figure still {facts.format_figure(told['value'], told.get('unit'))}"
    return "another source of the same story"
