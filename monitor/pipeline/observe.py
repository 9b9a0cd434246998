"""What the pipeline tells whoever watches it: plain events, in process, as work completes.

The steps know what happened (a poll's outcome, a batch's matches, a delivery's latency); ``health`` turns
the events into Prometheus counters and histograms. The arrow points up: the pipeline never imports
``health``; the CLI hands the daemon an observer, and the context calls it. An observer that raises is
logged and ignored: watching must never break the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollObserved:
    outcome: str  # "new", "unchanged", "not_modified", "error", "gone"
    duration_s: float
    new_articles: int = 0


@dataclass(frozen=True)
class BatchObserved:
    """One processed batch: how long it took, how long its articles waited, what matched and was planned."""

    articles: int
    duration_s: float
    lags_s: tuple[float, ...] = ()  # per article: stored → processed
    matches: tuple[str, ...] = ()  # one rule id per match
    alerts: tuple[str, ...] = ()  # one outcome per planned alert event (alert, update, silenced, ...)


@dataclass(frozen=True)
class DeliveryObserved:
    channel_kind: str  # the channel URL's scheme: mailto, json, slack, ...
    result: str  # "sent", "retry", "dead"
    latency_s: float | None = None  # alert queued → channel accepted (retries included), when sent


Observation = PollObserved | BatchObserved | DeliveryObserved
Observer = Callable[[Observation], None]


@dataclass
class Observers:
    """The observers of one process; ``emit`` never raises."""

    listeners: list[Observer] = field(default_factory=list)

    def emit(self, observation: Observation) -> None:
        for listener in self.listeners:
            try:
                listener(observation)
            except Exception:  # a broken observer must not break the work it watches
                log.debug("observer failed", exc_info=True, extra={"action": "observe.failed"})
