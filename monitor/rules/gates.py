"""Gates: the stateful half of a rule, deciding whether a rule that holds for an article alerts.

A gate reads the rule's memory, says pass or hold back, and returns what to remember. Gates run in a fixed
order — the type's own (``state``), ``new_term``, ``changed_by``, the window (``frequency``/``flatline``),
then ``realert``/``throttle`` — and the first that holds back stops the rest, so a throttle only counts
alerts that were really sent, while "seen" bookkeeping of earlier gates is still written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.domain import Article
from monitor.rules.durations import format_duration
from monitor.rules.memory import RuleMemory, StateWrite, stamp, unstamp
from monitor.rules.numbers import Change


@dataclass(frozen=True)
class GateInput:
    """One candidate alert: which rule and key, what it captured, for which article, as of when."""

    rule_id: str
    key: str
    captures: Mapping[str, Any]
    article: Article
    memory: RuleMemory
    now: datetime

    def remembered(self, key: str) -> Any:
        return self.memory.get_state(self.rule_id, key)

    def write(self, key: str, state: Any) -> StateWrite:
        return StateWrite(self.rule_id, key, state)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    writes: tuple[StateWrite, ...] = ()
    captures: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""  # an explanation line: why it passed or was held back


class Gate(Protocol):
    def check(self, given: GateInput) -> Verdict: ...


@dataclass(frozen=True)
class StateGate:
    """``type: state``: remember the last state per key; alert on a change (``alert_on``).

    An article published before the one that set the remembered state cannot change it: late-arriving
    old news ("the summit is planned", from August) must not undo October's "cancelled".
    """

    alert_on: str | frozenset[str] = "change"  # "change", "transition", or the states worth an alert

    def check(self, given: GateInput) -> Verdict:
        new = given.captures.get("state")
        where = f"state:{given.key}"
        old = given.remembered(where)
        old = old if isinstance(old, dict) else {}
        previous = old.get("state")
        changes = {"from": previous, "to": new}
        if previous == new:
            return Verdict(
                False, (), changes, f"state unchanged: still '{new}' (since {old.get('since', '?')})"
            )
        published = given.article.published_at
        if "published" in old and published < unstamp(old["published"]):
            note = f"'{new}' is older news than '{previous}' (reported {old['published']}): state kept"
            return Verdict(False, (), changes, note)
        state = {
            "state": new,
            "since": stamp(given.now),
            "article": given.article.id,
            "published": stamp(published),
        }
        write = given.write(where, state)
        if self.alert_on == "transition" and previous is None:
            return Verdict(False, (write,), changes, f"first state seen for this key ('{new}'): remembered")
        if isinstance(self.alert_on, frozenset) and new not in self.alert_on:
            return Verdict(False, (write,), changes, f"state changed to '{new}', which alert_on leaves out")
        return Verdict(True, (write,), changes, f"state changed: {previous or 'none'} → {new}")


@dataclass(frozen=True)
class NewTermGate:
    """``new_term``: alert only when a captured term was not seen by this rule within ``within``."""

    capture: str
    within: timedelta | None = None
    alert_when_empty: bool = (
        False  # ``when_empty: alert``: a match without terms passes (nothing to remember)
    )

    def check(self, given: GateInput) -> Verdict:
        terms = _terms(given.captures.get(self.capture))
        if not terms:
            note = f"new_term: nothing captured as '{self.capture}'"
            return Verdict(self.alert_when_empty, note=note + (", alerting" if self.alert_when_empty else ""))
        new, writes, seen_before = [], [], []
        for term in terms:
            where = f"term:{term.casefold()}"
            old = given.remembered(where)
            last = unstamp(old["seen"]) if isinstance(old, dict) and "seen" in old else None
            if last is None or (self.within is not None and given.now - last > self.within):
                new.append(term)
            else:
                seen_before.append(f"{term} (seen {last:%Y-%m-%d})")
            latest = given.now if last is None else max(last, given.now)
            first = old.get("first", stamp(given.now)) if isinstance(old, dict) else stamp(given.now)
            writes.append(given.write(where, {"term": term, "seen": stamp(latest), "first": first}))
        if not new:
            return Verdict(False, tuple(writes), {}, f"new_term: already seen: {', '.join(seen_before)}")
        return Verdict(True, tuple(writes), {"new_terms": new}, f"new_term: new {', '.join(new)}")


def _terms(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))


@dataclass(frozen=True)
class ChangeGate:
    """``changed_by``: alert when the figure moved at least this much since the last one for the key."""

    change: Change

    def check(self, given: GateInput) -> Verdict:
        value, unit = given.captures.get("value"), given.captures.get("unit")
        if not isinstance(value, int | float):
            return Verdict(False, note="changed_by: no figure captured")
        where = f"figure:{given.key}"
        old = given.remembered(where)
        write = given.write(where, {"value": value, "unit": unit, "at": stamp(given.now)})
        if not isinstance(old, dict) or old.get("unit") != unit:
            return Verdict(True, (write,), {"previous_value": None}, "changed_by: first figure for this key")
        previous = float(old["value"])
        moved = {"previous_value": previous}
        if previous:
            moved["change_percent"] = round((value - previous) / abs(previous) * 100, 2)
        if self.change.reached(previous, value):
            return Verdict(
                True, (write,), moved, f"changed_by: {previous:g} → {value:g} ({self.change.text})"
            )
        return Verdict(
            False, (write,), moved, f"changed_by: {previous:g} → {value:g}, less than {self.change.text}"
        )


@dataclass(frozen=True)
class FrequencyGate:
    """``frequency``: alert when ``count`` articles (or distinct sources) matched within ``within``."""

    count: int
    within: timedelta
    distinct_sources: bool = False

    def check(self, given: GateInput) -> Verdict:
        where = f"window:{given.key}"
        old = given.remembered(where)
        hits = [h for h in (old or {}).get("hits", []) if given.now - unstamp(h[0]) <= self.within]
        hits.append([stamp(given.now), given.article.feed_url or given.article.feed_name])
        if self.distinct_sources:
            hits = list({source: [at, source] for at, source in hits}.values())
        counted = len(hits)
        what = "distinct sources" if self.distinct_sources else "articles"
        span = format_duration(self.within)
        if counted >= self.count:
            note = f"frequency: {counted} {what} within {span}"
            return Verdict(True, (given.write(where, {"hits": []}),), {"window_count": counted}, note)
        kept = given.write(where, {"hits": hits[-self.count :]})
        return Verdict(
            False,
            (kept,),
            {"window_count": counted},
            f"frequency: {counted} of {self.count} {what} within {span}",
        )


@dataclass(frozen=True)
class FlatlineGate:
    """``flatline``: an article only refreshes "last seen" for its key; silence alerts (``silent_keys``)."""

    within: timedelta
    where: str = "flatline"

    def check(self, given: GateInput) -> Verdict:
        seen = dict(given.remembered(self.where) or {})
        seen[given.key] = {"at": stamp(given.now), "article": given.article.id, "alerted": False}
        return Verdict(False, (given.write(self.where, seen),), {}, "flatline: seen; alerts only on silence")

    def silent_keys(
        self, rule_id: str, memory: RuleMemory, now: datetime
    ) -> tuple[list[tuple[str, Any]], StateWrite | None]:
        """Keys not seen within ``within`` that have not alerted yet, and the write that marks them."""
        seen = dict(memory.get_state(rule_id, self.where) or {})
        silent = [
            (key, last)
            for key, last in sorted(seen.items())
            if not last.get("alerted") and now - unstamp(last["at"]) > self.within
        ]
        for key, last in silent:
            seen[key] = {**last, "alerted": True}
        return silent, (StateWrite(rule_id, self.where, seen) if silent else None)


@dataclass(frozen=True)
class ThrottleGate:
    """``realert``/``throttle``: at most ``alerts`` alerts per key in any period of ``per``."""

    alerts: int
    per: timedelta

    def check(self, given: GateInput) -> Verdict:
        where = f"alerts:{given.key}"
        old = given.remembered(where) or {}
        recent = [at for at in old.get("at", []) if given.now - unstamp(at) < self.per]
        if len(recent) >= self.alerts:
            last = unstamp(recent[-1])
            note = f"throttled: {len(recent)} alert(s) for this key since {last:%Y-%m-%d %H:%M}"
            return Verdict(False, (), {}, f"{note} (at most {self.alerts} per {format_duration(self.per)})")
        write = given.write(where, {"at": [*recent, stamp(given.now)][-self.alerts :]})
        return Verdict(True, (write,), {}, "")
