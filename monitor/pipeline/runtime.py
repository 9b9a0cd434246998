"""Building the ``PipelineContext``: open the database, load the rules, start the HTTP client.

Start-up fails fast with every problem listed (exit 2 from the CLI); once running, nothing here is
called again except ``reload_rules``, which keeps the old rule set when the new one has errors.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import alerting, fetching, rules, storage
from monitor.domain import FeedSource
from monitor.errors import ConfigError
from monitor.pipeline.authoring import rule_vocabulary
from monitor.pipeline.checks import check_configuration, errors_only
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.database import open_database
from monitor.pipeline.dryrun import limits_from
from monitor.pipeline.stories import StoryIndex
from monitor.settings import Settings

if TYPE_CHECKING:
    from monitor.enrichment import Enricher

log = logging.getLogger(__name__)


def schema_status(settings: Settings) -> tuple[str | None, str, list[tuple[str, str]]]:
    """The database's schema revision (None: never migrated), the newest one, and every known migration."""
    db = storage.Database.open(settings.database.url)
    try:
        return db.current_revision(), db.head_revision(), db.history()
    finally:
        db.close()


def sync_feeds(context: PipelineContext, now: datetime) -> None:
    """Make the database's feed list contain every feed of the config (CLI-added feeds stay)."""
    configured = [
        FeedSource(
            url=f.url,
            name=f.name or f.url,
            interval_s=f.interval_s or context.settings.polling.default_interval_s,
            tags=f.tags,
            fetch_full_text=f.fetch_full_text,
        )
        for f in context.settings.feeds
    ]
    storage.sync_configured_feeds(context.db, configured, now)


@asynccontextmanager
async def open_context(
    settings: Settings,
    parse_executor: Executor | None,
    enrich_executor: Executor | None = None,
    enrich_workers: int = 0,
) -> AsyncIterator[PipelineContext]:
    """Everything a pipeline step needs; raises ConfigError/RuleError listing every start-up problem.

    With ``enrich_executor`` (``enrich_workers`` processes) the model reads there, not in this process.
    """
    problems = errors_only(check_configuration(settings))
    if problems:
        raise ConfigError(problems, summary="newsmon cannot start: fix these first")
    ruleset = load_configured_rules(settings)
    enricher, stories = load_enrichment(settings)  # with workers, its model never loads in this process
    db = open_database(settings)
    try:
        async with fetching.Fetcher(limits_from(settings.http)) as fetcher:
            deliverer = alerting.Deliverer(settings.delivery)
            yield PipelineContext(
                settings,
                db,
                ruleset,
                fetcher,
                deliverer,
                parse_executor,
                enricher=enricher,
                enrich_executor=enrich_executor if settings.enrichment.enabled else None,
                enrich_workers=enrich_workers,
                stories=stories,
                lease=storage.Lease.new(settings.workers.grace_s),
            )
    finally:
        db.close()


def load_configured_rules(settings: Settings) -> rules.RuleSet:
    """The config's rules, checked against the watch lists and units enrichment knows."""
    paths = list(settings.rules.paths)
    return rules.load_rules(paths, rule_vocabulary(settings.enrichment, paths))


def load_enrichment(
    settings: Settings, rules_paths: Sequence[Path] | None = None
) -> tuple[Enricher | None, StoryIndex | None]:
    """The spaCy pipeline and the story index, or (None, None) when enrichment is switched off.

    Watch lists come from ``rules_paths`` (default: the config's) when the config names none itself:
    ``newsmon match --rules DIR`` reads DIR/watchlists, not the config's. The model itself loads when it
    first reads (so a missing model or a broken watch list is reported at start-up, in this process, even
    when the model will read in worker processes).
    """
    if not settings.enrichment.enabled:
        return None, None
    from monitor.enrichment import Enricher  # spaCy loads here, not when the CLI starts

    enricher = Enricher.from_settings(
        settings.enrichment,
        settings.rules.paths if rules_paths is None else rules_paths,
        model_location=settings.location_of("enrichment.model"),
    )
    return enricher, StoryIndex(settings.enrichment)
