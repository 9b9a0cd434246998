"""The daily prune: the retention settings applied to the database (``newsmon db prune`` and the daemon)."""

from __future__ import annotations

import logging
from datetime import datetime

from monitor import storage
from monitor.settings import RetentionSettings

log = logging.getLogger(__name__)


def prune_history(
    db: storage.Database, settings: RetentionSettings, now: datetime, *, dry_run: bool = False
) -> storage.PruneReport:
    """Prune (or with ``dry_run`` count) what is older than the retention settings, and log it."""
    policy = storage.RetentionPolicy(
        articles_days=settings.articles_days,
        outbox_days=settings.outbox_days,
        deliveries_days=settings.deliveries_days,
        batch_size=settings.batch_size,
    )
    report = storage.prune(db, now, policy, dry_run=dry_run)
    counts = dict(report.items())
    log.info(
        "history %s: %s",
        "would be pruned" if dry_run else "pruned",
        ", ".join(f"{count} {name}" for name, count in counts.items()),
        extra={"action": "retention.dry_run" if dry_run else "retention.pruned", **counts},
    )
    return report
