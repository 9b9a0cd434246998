"""``/healthz`` (this process is alive and ticking), ``/readyz`` (the database answers and is migrated) and
``/metrics`` (Prometheus). Read-only, on its own thread, so a slow scrape never delays polling.

The endpoints face whatever can reach the port, so they are bounded: at most ``MAX_CONNECTIONS`` requests
are served at once (more are closed unanswered), a connection idle for ``IDLE_TIMEOUT_S`` is dropped, and
a client that hangs up early is a debug line, not a traceback. A port that cannot be bound is a located
config error (``health.port``)."""

from __future__ import annotations

import logging
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from monitor import pipeline
from monitor.errors import ConfigError, MonitorError
from monitor.health.metrics import PipelineMetrics, StorageCollector
from monitor.settings import Settings

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 16
IDLE_TIMEOUT_S = 10.0


@dataclass
class Probe:
    """What the endpoints read: the database, and the daemon's last completed cycle."""

    settings: Settings
    last_tick_at: Callable[[], datetime | None]
    last_reload: Callable[[], pipeline.ReloadResult | None] = lambda: None

    def stats(self) -> pipeline.StorageStats:
        db = pipeline.open_database(self.settings)
        try:
            return pipeline.storage_stats(db, datetime.now(UTC))
        finally:
            db.close()

    def alive(self) -> tuple[bool, str]:
        tick = self.last_tick_at()
        if tick is None:
            return True, "starting"
        allowed = timedelta(seconds=max(60.0, 5 * self.settings.polling.tick_s))
        age = datetime.now(UTC) - tick
        return age <= allowed, f"last cycle {age.total_seconds():.0f}s ago"

    def ready(self) -> tuple[bool, str]:
        """Not ready when the database cannot be read, or the last SIGHUP reload was refused (the daemon
        runs on, with its previous config, until someone fixes the file)."""
        try:
            self.stats()
        except MonitorError as exc:
            return False, str(exc)
        reload = self.last_reload()
        if reload is not None and not reload.ok:
            return False, f"last reload failed at {reload.at:%Y-%m-%d %H:%M:%S} UTC: {reload.message}"
        return True, "database ready"


class HealthServer:
    def __init__(self, host: str, port: int, probe: Probe, metrics: PipelineMetrics | None = None) -> None:
        """``metrics``: this process's counters (``PipelineMetrics``), served beside the database's gauges."""
        registry = metrics.registry if metrics else CollectorRegistry(auto_describe=False)
        registry.register(StorageCollector(probe.stats, probe.last_tick_at, probe.last_reload))
        handler = _handler(probe, registry)
        try:
            self._server = _BoundedServer((host, port), handler)
        except OSError as exc:
            problem = pipeline.setting_problem(
                probe.settings,
                "health.port",
                f"cannot serve the health endpoints on {host}:{port}: {exc.strerror or exc}",
                hint="choose a free port (health.port), or stop the process that holds it",
            )
            raise ConfigError([problem]) from exc
        self._thread = threading.Thread(target=self._server.serve_forever, name="health", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> HealthServer:
        self._thread.start()
        log.info("health endpoints up", extra={"action": "health.started", "port": self.port})
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _BoundedServer(ThreadingHTTPServer):
    """A thread per request, up to ``MAX_CONNECTIONS``; quiet about clients that go away."""

    daemon_threads = True
    block_on_close = False  # stopping never waits for an idle client's timeout
    request_queue_size = 64  # a burst of scrapes waits in the backlog instead of SYN retries

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            log.debug("health endpoint busy", extra={"action": "health.refused", "client": client_address})
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | socket.timeout | TimeoutError):
            log.debug("health client went away", extra={"action": "health.disconnect", "error": str(error)})
            return
        log.warning("health request failed", exc_info=True, extra={"action": "health.error"})


def _handler(probe: Probe, registry: CollectorRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_TIMEOUT_S  # an idle or dripping client loses its thread after this

        def do_GET(self) -> None:
            if self.path == "/metrics":
                try:
                    self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)
                except MonitorError as exc:
                    self._send(503, f"database unavailable: {exc}\n".encode(), "text/plain")
                return
            checks = {"/healthz": probe.alive, "/readyz": probe.ready}
            check = checks.get(self.path)
            if check is None:
                self._send(404, b"try /healthz, /readyz or /metrics\n", "text/plain")
                return
            ok, detail = check()
            self._send(
                200 if ok else 503, f"{'ok' if ok else 'unhealthy'}: {detail}\n".encode(), "text/plain"
            )

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # scrapes every 15 s would drown the log

    return Handler
