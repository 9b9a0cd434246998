"""The evaluation time budget: an article whose rules take too long is set aside, not retried every tick.

Regexes run in linear time (``regex_engine.py``) and ``rules check`` refuses the shapes that could backtrack
exponentially, so one rule on one article is bounded by the article's length. The budget is the last line
for whatever a static check misses (a slow alternation, a huge article, a rule set grown large): it is
checked after each rule, and the rule that crossed it is named. Reading a monotonic clock is the one
exception to "rules are pure"; it never changes what a rule says, only whether the pipeline waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.errors import MonitorError

Clock = Callable[[], float]


class EvaluationOverBudget(MonitorError):
    """The rules took longer than the budget on one article; the pipeline quarantines it."""

    def __init__(self, rule_id: str, elapsed_s: float, budget_s: float) -> None:
        self.rule_id = rule_id
        self.elapsed_s = elapsed_s
        self.budget_s = budget_s
        super().__init__(
            f"evaluating the rules took {elapsed_s:.3g} s, over the {budget_s:g} s budget "
            f"(crossed in rule '{rule_id}')"
        )

    def __reduce__(self) -> tuple[object, ...]:  # round-trips across processes like any other error
        return (type(self), (self.rule_id, self.elapsed_s, self.budget_s))


@dataclass
class Budget:
    """Seconds one article's evaluation may take, counted from creation; ``check`` after each rule."""

    limit_s: float
    clock: Clock = time.perf_counter
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def check(self, rule_id: str) -> None:
        elapsed = self.clock() - self.started
        if elapsed > self.limit_s:
            raise EvaluationOverBudget(rule_id, elapsed, self.limit_s)


class RuleFailed(MonitorError):
    """A rule raised on one article — a defect in a predicate, not in the article. The pipeline quarantines
    the article (recorded, logged with the traceback, shown by ``status``) instead of failing its whole
    batch on every tick, so the other articles go on."""

    def __init__(self, rule_id: str, error: str) -> None:
        self.rule_id = rule_id
        self.error = error
        super().__init__(f"rule '{rule_id}' failed on this article: {error}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.rule_id, self.error))
