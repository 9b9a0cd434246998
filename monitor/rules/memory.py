"""What stateful rules remember, and how evaluation stays pure anyway.

Evaluation never writes: it *reads* a ``RuleMemory`` (one JSON value per ``(rule_id, key)``) and returns
the ``StateWrite``s that go with its matches in an ``Evaluation``. The caller applies them — the pipeline
in the same transaction as the matches (``storage.put_rule_state``), ``newsmon backtest`` and tests to a
``MemoryStore``. So the same article, rules, memory and clock always give the same result, and a process
that dies before its commit leaves memory as it was.

Keys are namespaced by what remembers them: ``state:<key>`` (type: state), ``term:<term>`` (new_term),
``figure:<key>`` (changed_by), ``window:<key>`` (frequency), ``flatline`` (one map per rule),
``alerts:<key>`` (realert/throttle).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, overload

from monitor.domain import Match

JSON = Any
"""Anything ``json.dumps`` accepts: what storage's JSON column holds."""


class RuleMemory(Protocol):
    """Read access to what rules remember; the pipeline implements it over ``storage.get_rule_state``."""

    def get_state(self, rule_id: str, key: str) -> JSON | None: ...


@dataclass(frozen=True)
class StateWrite:
    """Remember ``state`` for ``(rule_id, key)``, replacing what was there."""

    rule_id: str
    key: str
    state: JSON


@dataclass(frozen=True)
class Evaluation(Sequence[Match]):
    """What one article (or one clock tick) produced: the alerting matches and the memory to write.

    It is also the sequence of its ``matches``, so code that only wants matches can iterate it.
    ``suppressed`` are matches a gate held back (already seen, throttled, ...), each explaining why:
    nothing to store or send, but ``newsmon match`` and ``newsmon backtest`` show them.
    """

    matches: tuple[Match, ...] = ()
    state_writes: tuple[StateWrite, ...] = ()
    suppressed: tuple[Match, ...] = ()

    @overload
    def __getitem__(self, index: int) -> Match: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Match]: ...

    def __getitem__(self, index: int | slice) -> Match | Sequence[Match]:
        return self.matches[index]

    def __len__(self) -> int:
        return len(self.matches)

    def __iter__(self) -> Iterator[Match]:
        return iter(self.matches)


class MemoryStore:
    """A ``RuleMemory`` in a dict: for tests, examples, ``newsmon match`` and ``newsmon backtest``.

    Values go through JSON on the way in, as they would through the database, so a state that storage
    could not hold fails here too.
    """

    def __init__(self, states: Mapping[tuple[str, str], JSON] | None = None) -> None:
        self._states: dict[tuple[str, str], str] = {}
        for (rule_id, key), state in (states or {}).items():
            self.put_state(rule_id, key, state)

    def get_state(self, rule_id: str, key: str) -> JSON | None:
        stored = self._states.get((rule_id, key))
        return None if stored is None else json.loads(stored)

    def put_state(self, rule_id: str, key: str, state: JSON) -> None:
        if state is None:
            raise ValueError("rule state cannot be None")
        self._states[(rule_id, key)] = json.dumps(state)

    def apply(self, writes: Iterable[StateWrite] | Evaluation) -> None:
        """Apply an evaluation's writes (or any writes), in order: last write wins."""
        for write in writes.state_writes if isinstance(writes, Evaluation) else writes:
            self.put_state(write.rule_id, write.key, write.state)

    def states(self) -> dict[tuple[str, str], JSON]:
        return {where: json.loads(stored) for where, stored in self._states.items()}


def stamp(moment: datetime) -> str:
    """How memory writes a time: ISO 8601 with its offset."""
    return moment.isoformat()


def unstamp(text: str) -> datetime:
    return datetime.fromisoformat(text)
