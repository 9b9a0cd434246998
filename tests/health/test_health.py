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
