"""SIGHUP: the whole config (feeds, subscribers, templates, alerting, enrichment and rules) read again and
swapped in at once — or, when anything in it is wrong, none of it.

Everything is loaded and checked before anything changes, so a step running in the meantime sees either the
old settings or the new ones. A few sections shape objects that live as long as the process (the database
connection, the HTTP client, the health endpoints, the parse workers); a change there is refused with a
message saying to restart, and the running config stays. The outcome is remembered in the database per
host and config file, so ``newsmon status`` (another process) can say that the last reload failed.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import alerting, storage
from monitor.errors import ConfigError, MonitorError, RuleError
from monitor.pipeline.checks import check_configuration, errors_only
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.reload_state import RELOAD_STATE_RULE
from monitor.pipeline.runtime import load_configured_rules, load_enrichment, sync_feeds
from monitor.settings import Settings, load_settings

if TYPE_CHECKING:
    from monitor.enrichment import Enricher
    from monitor.pipeline.stories import StoryIndex

log = logging.getLogger(__name__)

RESTART_ONLY = ("database", "http", "health")
"""Sections whose change needs a restart (plus ``polling.parse_workers`` and ``enrichment.workers``): what
they configure is built once."""


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    at: datetime
    message: str


def reload_config(context: PipelineContext, config_path: Path, now: datetime) -> ReloadResult:
    """Read ``config_path`` and its rules again; swap them in only if all of it is valid."""
    try:
        settings = load_settings(config_path)
        _refuse_restart_only_changes(context.settings, settings)
        problems = errors_only(check_configuration(settings))
        if problems:
            raise ConfigError(problems, summary="the new config has errors")
        ruleset = load_configured_rules(settings)
        enrichment = _enrichment_for(context, settings)
    except (ConfigError, RuleError, MonitorError) as exc:
        result = ReloadResult(False, now, f"reload refused, the running config is kept: {exc}")
        log.error(
            "reload refused; keeping the running config",
            extra={"action": "config.reload_failed", "errors": str(exc)},
        )
        _remember(context, config_path, result)
        return result
    context.settings = settings
    context.ruleset = ruleset
    context.deliverer = alerting.Deliverer(settings.delivery)
    if enrichment is not None:
        context.enricher, context.stories = enrichment
        context.enrichment_generation += 1  # the workers load this config before their next job
    sync_feeds(context, now)
    message = (
        f"config reloaded: {len(settings.feeds)} feeds, {len(settings.subscribers)} subscribers, "
        f"{len(ruleset.rules)} rules"
    )
    log.info(message, extra={"action": "config.reloaded", "rules": len(ruleset.rules)})
    result = ReloadResult(True, now, message)
    _remember(context, config_path, result)
    return result


def _refuse_restart_only_changes(running: Settings, new: Settings) -> None:
    changed = [name for name in RESTART_ONLY if getattr(running, name) != getattr(new, name)]
    if running.polling.parse_workers != new.polling.parse_workers:
        changed.append("polling.parse_workers")
    if running.enrichment.workers != new.enrichment.workers:
        changed.append("enrichment.workers")
    if changed:
        raise MonitorError(f"{', '.join(changed)} changed: restart newsmon to apply (nothing was reloaded)")


def _enrichment_for(
    context: PipelineContext, settings: Settings
) -> tuple[Enricher | None, StoryIndex | None] | None:
    """A new enricher when enrichment settings or watch lists may have changed (watch lists are files an
    analyst edits, so a reload always reads them again); None when enrichment stays off."""
    if not settings.enrichment.enabled and context.enricher is None:
        return None
    return load_enrichment(settings)


def remember_start(context: PipelineContext, config_path: Path, now: datetime) -> ReloadResult:
    """A daemon that started has loaded its config: that replaces an earlier failed reload's record."""
    result = ReloadResult(True, now, "started with this config")
    _remember(context, config_path, result)
    return result


def _remember(context: PipelineContext, config_path: Path, result: ReloadResult) -> None:
    key = f"{socket.gethostname()}:{config_path.resolve()}"
    state = {"ok": result.ok, "at": result.at.isoformat(), "message": result.message[:2000]}
    try:
        storage.put_rule_state(context.db, RELOAD_STATE_RULE, key, state, result.at)
    except MonitorError:  # the outcome is logged already; a database hiccup must not undo the reload
        log.warning("could not record the reload outcome", extra={"action": "config.reload_unrecorded"})
