"""The operator endpoints over a real database: alive, ready, and metrics read at scrape time."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.health import HealthServer, Probe
from monitor.settings import Settings, load_settings


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {{url: '{database_url}'}}\npolling: {{tick_s: 5}}\n")
    return load_settings(path, {})


@pytest.fixture
def tick() -> list[datetime | None]:
    return [None]


@pytest.fixture
def server(settings: Settings, tick: list[datetime | None]) -> Iterator[HealthServer]:
    endpoints = HealthServer("127.0.0.1", 0, Probe(settings, lambda: tick[0])).start()
    yield endpoints
    endpoints.stop()


def test_healthz_follows_the_daemon_heartbeat(server: HealthServer, tick: list[datetime | None]) -> None:
    assert get(server.port, "/healthz") == (200, "ok: starting\n")
    tick[0] = datetime.now(UTC)
    assert get(server.port, "/healthz")[0] == 200
    tick[0] = datetime.now(UTC) - timedelta(minutes=10)
    status, body = get(server.port, "/healthz")
    assert status == 503 and body.startswith("unhealthy: last cycle")


def test_readyz_and_metrics_read_the_database(server: HealthServer) -> None:
    assert get(server.port, "/readyz") == (200, "ok: database ready\n")
    status, body = get(server.port, "/metrics")
    assert status == 200
    assert 'newsmon_feeds{state="active"} 0.0' in body
    assert 'newsmon_outbox{state="dead"} 0.0' in body
    assert "newsmon_last_tick_age_seconds -1.0" in body
    assert "newsmon_alerts_held 0.0" in body
    assert get(server.port, "/nope")[0] == 404


def test_readyz_fails_on_an_unmigrated_database(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {{url: 'sqlite:///{tmp_path}/empty.sqlite'}}\n")
    endpoints = HealthServer("127.0.0.1", 0, Probe(load_settings(path, {}), lambda: None)).start()
    try:
        status, body = get(endpoints.port, "/readyz")
        assert status == 503 and "newsmon db upgrade" in body
    finally:
        endpoints.stop()


def test_metrics_count_what_the_pipeline_reports(settings: Settings) -> None:
    from monitor import pipeline
    from monitor.health import PipelineMetrics

    metrics = PipelineMetrics("9.9.9")
    observers = pipeline.Observers([metrics.observe, lambda _: 1 / 0])  # a broken observer is ignored
    endpoints = HealthServer("127.0.0.1", 0, Probe(settings, lambda: None), metrics).start()
    try:
        observers.emit(pipeline.PollObserved("new", 0.2, new_articles=3))
        observers.emit(pipeline.PollObserved("error", 1.5))
        observers.emit(
            pipeline.BatchObserved(
                3, 0.4, lags_s=(1.0, 2.0, 3.0), matches=("sanctions-new",) * 2, alerts=("alert",)
            )
        )
        observers.emit(pipeline.DeliveryObserved("mailto", "sent", latency_s=4.0))
        observers.emit(pipeline.DeliveryObserved("json", "retry"))
        status, body = get(endpoints.port, "/metrics")
    finally:
        endpoints.stop()
    assert status == 200
    for line in (
        'newsmon_build_info{version="9.9.9"} 1.0',
        'newsmon_polls_total{outcome="new"} 1.0',
        'newsmon_polls_total{outcome="error"} 1.0',
        "newsmon_articles_stored_total 3.0",
        "newsmon_poll_duration_seconds_count 2.0",
        'newsmon_matches_total{rule="sanctions-new"} 2.0',
        'newsmon_alerts_planned_total{outcome="alert"} 1.0',
        "newsmon_processing_lag_seconds_count 3.0",
        'newsmon_deliveries_total{channel="mailto",result="sent"} 1.0',
        'newsmon_deliveries_total{channel="json",result="retry"} 1.0',
        "newsmon_delivery_latency_seconds_count 1.0",
        'newsmon_feeds{state="active"} 0.0',  # the database's gauges beside them
    ):
        assert line in body, line
