"""The only package that sees every stage and the storage: one function per step, composed.

Steps take ``now`` and never sleep; the daemon owns the clock, the loops and the concurrency.
"""

from monitor.pipeline.alerts import AlertPlanner
from monitor.pipeline.authoring import example_enricher, rule_vocabulary
from monitor.pipeline.checks import check_configuration, errors_only, setting_problem
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.delivering import DrainReport, drain_outbox
from monitor.pipeline.digests import DigestReport, flush_digests
from monitor.pipeline.dryrun import (
    DryRunItem,
    WhyItem,
    default_http,
    dry_run,
    dry_run_json,
    dry_run_text,
    explain_sources,
    why_text,
)
from monitor.pipeline.feeds import add_feed, configured_feeds, remove_feed
from monitor.pipeline.observe import BatchObserved, DeliveryObserved, Observation, Observers, PollObserved
from monitor.pipeline.opml import OutlineReport, export_opml, import_opml
from monitor.pipeline.polling import PollReport, poll_due_feeds, poll_feed
from monitor.pipeline.processing import (
    ProcessReport,
    check_flatlines,
    process_batch,
    process_pending_articles,
)
from monitor.pipeline.reload import ReloadResult, last_reloads, reload_config, remember_start
from monitor.pipeline.retention import prune_history
from monitor.pipeline.runtime import (
    load_configured_rules,
    load_enrichment,
    open_context,
    open_database,
    schema_status,
    sync_feeds,
)
from monitor.pipeline.source_health import SourceHealthReport, check_source_health, open_episodes
from monitor.rules import check_rules, format_example_report, load_rules, run_examples
from monitor.storage import (
    StorageStats,
    list_alerts,
    list_feeds,
    list_quarantined,
    storage_stats,
)

__all__ = [
    "AlertPlanner",
    "BatchObserved",
    "DeliveryObserved",
    "DigestReport",
    "DrainReport",
    "DryRunItem",
    "Observation",
    "Observers",
    "OutlineReport",
    "PipelineContext",
    "PollObserved",
    "PollReport",
    "ProcessReport",
    "ReloadResult",
    "SourceHealthReport",
    "StorageStats",
    "WhyItem",
    "add_feed",
    "check_configuration",
    "check_flatlines",
    "check_rules",
    "check_source_health",
    "configured_feeds",
    "default_http",
    "drain_outbox",
    "dry_run",
    "dry_run_json",
    "dry_run_text",
    "errors_only",
    "example_enricher",
    "explain_sources",
    "export_opml",
    "flush_digests",
    "format_example_report",
    "import_opml",
    "last_reloads",
    "list_alerts",
    "list_feeds",
    "list_quarantined",
    "load_configured_rules",
    "load_enrichment",
    "load_rules",
    "open_context",
    "open_database",
    "open_episodes",
    "poll_due_feeds",
    "poll_feed",
    "process_batch",
    "process_pending_articles",
    "prune_history",
    "reload_config",
    "remember_start",
    "remove_feed",
    "rule_vocabulary",
    "run_examples",
    "schema_status",
    "setting_problem",
    "storage_stats",
    "sync_feeds",
    "why_text",
]
