"""Prometheus metrics, read from the database at scrape time (so every daemon of a cluster reports the same
truth about shared state) plus this process's own heartbeat."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, Info
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


# Buckets in seconds: a fetch or a batch from milliseconds to minutes; a delivery's end-to-end latency
# (alert queued → channel accepted) from a second to a day of retries.
_FAST = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
_SLOW = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 14400.0, 86400.0)


class PipelineMetrics:
    """Counters and histograms of what this process did, fed by ``pipeline.Observers`` events.

    Labels stay bounded: poll outcomes, rule ids (the rule set), alert outcomes, channel kinds (schemes) and
    results — never a feed URL or an article.
    """

    def __init__(self, version: str) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=False)
        self.polls = Counter("newsmon_polls", "Feed polls by outcome", ["outcome"], registry=registry)
        self.fetch_seconds = Histogram(
            "newsmon_poll_duration_seconds",
            "Time to fetch, parse and store one feed",
            buckets=_FAST,
            registry=registry,
        )
        self.articles = Counter("newsmon_articles_stored", "New articles stored", registry=registry)
        self.batch_seconds = Histogram(
            "newsmon_processing_duration_seconds",
            "Time to enrich, match and plan one batch of articles",
            buckets=_FAST,
            registry=registry,
        )
        self.lag_seconds = Histogram(
            "newsmon_processing_lag_seconds",
            "From an article stored to its matches and alerts saved",
            buckets=_SLOW,
            registry=registry,
        )
        self.matches = Counter("newsmon_matches", "Rule matches", ["rule"], registry=registry)
        self.alerts = Counter(
            "newsmon_alerts_planned",
            "Alert events planned, by outcome (alert, update, recorded, silenced, inhibited, throttled, held)",
            ["outcome"],
            registry=registry,
        )
        self.deliveries = Counter(
            "newsmon_deliveries",
            "Delivery attempts by channel kind and result",
            ["channel", "result"],
            registry=registry,
        )
        self.delivery_latency = Histogram(
            "newsmon_delivery_latency_seconds",
            "From an alert queued in the outbox to the channel accepting it",
            buckets=_SLOW,
            registry=registry,
        )
        Info("newsmon_build", "The running newsmon", registry=registry).info({"version": version})

    def observe(self, event: pipeline.Observation) -> None:
        if isinstance(event, pipeline.PollObserved):
            self.polls.labels(event.outcome).inc()
            self.fetch_seconds.observe(event.duration_s)
            self.articles.inc(event.new_articles)
        elif isinstance(event, pipeline.BatchObserved):
            self.batch_seconds.observe(event.duration_s)
            for lag in event.lags_s:
                self.lag_seconds.observe(lag)
            for rule in event.matches:
                self.matches.labels(rule).inc()
            for outcome in event.alerts:
                self.alerts.labels(outcome).inc()
        elif isinstance(event, pipeline.DeliveryObserved):
            self.deliveries.labels(event.channel_kind, event.result).inc()
            if event.latency_s is not None:
                self.delivery_latency.observe(event.latency_s)
