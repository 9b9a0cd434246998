"""What every pipeline step needs, built once by the daemon (or a CLI command) and passed in.

The rule set is the one mutable slot: a SIGHUP reload swaps in a new, fully valid ``RuleSet`` between
ticks; a step reads ``context.ruleset`` once at its start, so it never sees half of each.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from monitor import alerting, fetching, rules, storage
from monitor.pipeline.observe import Observers
from monitor.settings import Settings

if TYPE_CHECKING:  # spaCy takes seconds to import: only the commands that enrich pay for it
    from monitor.enrichment import Enricher
    from monitor.pipeline.stories import StoryIndex


@dataclass
class PipelineContext:
    settings: Settings
    db: storage.Database
    ruleset: rules.RuleSet
    fetcher: fetching.Fetcher
    deliverer: alerting.Deliverer
    parse_executor: Executor | None = None  # a process pool for CPU-bound parsing; None parses inline
    enricher: Enricher | None = None  # None: enrichment is off (settings.enrichment.enabled: false)
    # enrichment worker processes (enrich_workers.py): when set, the model reads there, and ``enricher`` (its
    # model never loaded here) only says that enrichment is on
    enrich_executor: Executor | None = None
    enrich_workers: int = 0
    enrichment_generation: int = 0  # bumped by a reload: workers load the new config before their next job
    stories: StoryIndex | None = None  # set with the enricher
    rng: random.Random = field(default_factory=random.Random)
    observers: Observers = field(default_factory=Observers)  # metrics listen here (health.PipelineMetrics)
    # set on SIGTERM: the batch loops (polling, processing) return between two batches
    stop: threading.Event = field(default_factory=threading.Event)
    # who this process is when it claims work, and for how long a claim lasts without a heartbeat
    lease: storage.Lease = field(default_factory=lambda: storage.Lease.new(20.0))
