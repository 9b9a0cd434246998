"""What every pipeline step needs, built once by the daemon (or a CLI command) and passed in.

The rule set is the one mutable slot: a SIGHUP reload swaps in a new, fully valid ``RuleSet`` between
ticks; a step reads ``context.ruleset`` once at its start, so it never sees half of each.
"""

from __future__ import annotations

import random
from concurrent.futures import Executor
from dataclasses import dataclass, field

from monitor import alerting, fetching, rules, storage
from monitor.settings import Settings


@dataclass
class PipelineContext:
    settings: Settings
    db: storage.Database
    ruleset: rules.RuleSet
    fetcher: fetching.Fetcher
    deliverer: alerting.Deliverer
    parse_executor: Executor | None = None  # a process pool for CPU-bound parsing; None parses inline
    enricher: object | None = None  # monitor.enrichment.Enricher once enrichment is configured
    rng: random.Random = field(default_factory=random.Random)
