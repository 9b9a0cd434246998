"""The only package that sees every stage and the storage: one function per step, composed.

Steps take ``now`` and never sleep; the daemon owns the clock, the loops and the concurrency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.lazy import lazy_names

if TYPE_CHECKING:
    from monitor.pipeline.alerts import plan_alerts
    from monitor.pipeline.authoring import example_enricher, rule_vocabulary
    from monitor.pipeline.checks import check_configuration, check_rules_only, errors_only, setting_problem
    from monitor.pipeline.context import PipelineContext
    from monitor.pipeline.database import open_database
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
    from monitor.pipeline.reload import ReloadResult, reload_config, remember_start
    from monitor.pipeline.reload_state import last_reloads
    from monitor.pipeline.retention import prune_history
    from monitor.pipeline.runtime import (
        load_configured_rules,
        load_enrichment,
        open_context,
        schema_status,
        sync_feeds,
    )
    from monitor.pipeline.source_health import SourceHealthReport, check_source_health, open_episodes
    from monitor.rules import check_rules, format_example_report, load_rules, run_examples
    from monitor.storage import StorageStats, list_feeds, list_quarantined, storage_stats

_HOMES = {
    "plan_alerts": "monitor.pipeline.alerts",
    "BatchObserved": "monitor.pipeline.observe",
    "DeliveryObserved": "monitor.pipeline.observe",
    "DigestReport": "monitor.pipeline.digests",
    "DrainReport": "monitor.pipeline.delivering",
    "DryRunItem": "monitor.pipeline.dryrun",
    "Observation": "monitor.pipeline.observe",
    "Observers": "monitor.pipeline.observe",
    "OutlineReport": "monitor.pipeline.opml",
    "PipelineContext": "monitor.pipeline.context",
    "PollObserved": "monitor.pipeline.observe",
    "PollReport": "monitor.pipeline.polling",
    "ProcessReport": "monitor.pipeline.processing",
    "ReloadResult": "monitor.pipeline.reload",
    "SourceHealthReport": "monitor.pipeline.source_health",
    "StorageStats": "monitor.storage",
    "WhyItem": "monitor.pipeline.dryrun",
    "add_feed": "monitor.pipeline.feeds",
    "check_configuration": "monitor.pipeline.checks",
    "check_rules_only": "monitor.pipeline.checks",
    "check_flatlines": "monitor.pipeline.processing",
    "check_rules": "monitor.rules",
    "check_source_health": "monitor.pipeline.source_health",
    "configured_feeds": "monitor.pipeline.feeds",
    "default_http": "monitor.pipeline.dryrun",
    "drain_outbox": "monitor.pipeline.delivering",
    "dry_run": "monitor.pipeline.dryrun",
    "dry_run_json": "monitor.pipeline.dryrun",
    "dry_run_text": "monitor.pipeline.dryrun",
    "errors_only": "monitor.pipeline.checks",
    "example_enricher": "monitor.pipeline.authoring",
    "explain_sources": "monitor.pipeline.dryrun",
    "export_opml": "monitor.pipeline.opml",
    "flush_digests": "monitor.pipeline.digests",
    "format_example_report": "monitor.rules",
    "import_opml": "monitor.pipeline.opml",
    "last_reloads": "monitor.pipeline.reload_state",
    "list_feeds": "monitor.storage",
    "list_quarantined": "monitor.storage",
    "load_configured_rules": "monitor.pipeline.runtime",
    "load_enrichment": "monitor.pipeline.runtime",
    "load_rules": "monitor.rules",
    "open_context": "monitor.pipeline.runtime",
    "open_database": "monitor.pipeline.database",
    "open_episodes": "monitor.pipeline.source_health",
    "poll_due_feeds": "monitor.pipeline.polling",
    "poll_feed": "monitor.pipeline.polling",
    "process_batch": "monitor.pipeline.processing",
    "process_pending_articles": "monitor.pipeline.processing",
    "prune_history": "monitor.pipeline.retention",
    "reload_config": "monitor.pipeline.reload",
    "remember_start": "monitor.pipeline.reload",
    "remove_feed": "monitor.pipeline.feeds",
    "rule_vocabulary": "monitor.pipeline.authoring",
    "run_examples": "monitor.rules",
    "schema_status": "monitor.pipeline.runtime",
    "setting_problem": "monitor.pipeline.checks",
    "storage_stats": "monitor.storage",
    "sync_feeds": "monitor.pipeline.runtime",
    "why_text": "monitor.pipeline.dryrun",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches."""


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
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
    "check_rules_only",
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
    "list_feeds",
    "list_quarantined",
    "load_configured_rules",
    "load_enrichment",
    "load_rules",
    "open_context",
    "open_database",
    "open_episodes",
    "plan_alerts",
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
