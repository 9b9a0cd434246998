"""Prometheus metrics, read from the database at scrape time (so every daemon of a cluster reports the same
truth about shared state) plus this process's own heartbeat."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from monitor import pipeline


class StorageCollector(Collector):
    """Feeds, articles and outbox rows by state; the age of the oldest undelivered alert."""

    def __init__(
        self,
        stats: Callable[[], pipeline.StorageStats],
        last_tick_at: Callable[[], datetime | None],
        last_reload: Callable[[], pipeline.ReloadResult | None] = lambda: None,
    ):
        self._stats = stats
        self._last_tick_at = last_tick_at
        self._last_reload = last_reload

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stats = self._stats()
        now = datetime.now(UTC)
        feeds = GaugeMetricFamily("newsmon_feeds", "Feeds by state", labels=["state"])
        for state, value in (
            ("active", stats.feeds_active),
            ("inactive", stats.feeds_inactive),
            ("failing", stats.feeds_failing),
            ("due", stats.feeds_due),
        ):
            feeds.add_metric([state], value)
        yield feeds
        yield GaugeMetricFamily("newsmon_articles", "Stored articles", value=stats.articles)
        yield GaugeMetricFamily(
            "newsmon_articles_unprocessed", "Articles waiting for rules", value=stats.articles_unprocessed
        )
        outbox = GaugeMetricFamily("newsmon_outbox", "Alert outbox rows by state", labels=["state"])
        for state, value in (
            ("pending", stats.outbox_pending),
            ("due", stats.outbox_due),
            ("dead", stats.outbox_dead),
            ("sent", stats.outbox_sent),
        ):
            outbox.add_metric([state], value)
        yield outbox
        yield GaugeMetricFamily(
            "newsmon_alerts_held",
            "Alerts held for a digest or the end of quiet hours",
            value=stats.alerts_held,
        )
        oldest = stats.oldest_pending_alert_at
        yield GaugeMetricFamily(
            "newsmon_oldest_pending_alert_age_seconds",
            "Age of the oldest alert not yet delivered (0 when none)",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        tick = self._last_tick_at()
        yield GaugeMetricFamily(
            "newsmon_last_tick_age_seconds",
            "Seconds since this daemon last completed a poll cycle (-1 before the first)",
            value=(now - tick).total_seconds() if tick else -1.0,
        )
        reload = self._last_reload()
        yield GaugeMetricFamily(
            "newsmon_config_last_reload_success",
            "1 when the config this daemon runs was loaded or reloaded without error, 0 after a refused reload",
            value=1.0 if reload is None or reload.ok else 0.0,
        )
        yield GaugeMetricFamily(
            "newsmon_config_last_reload_timestamp_seconds",
            "When the config was last loaded or a reload was attempted (Unix time; 0 before start-up)",
            value=reload.at.timestamp() if reload else 0.0,
        )
