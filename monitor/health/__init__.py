"""Read-only HTTP endpoints for operators: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.lazy import lazy_names

if TYPE_CHECKING:
    from monitor.health.metrics import PipelineMetrics
    from monitor.health.server import HealthServer, Probe

_HOMES = {
    "HealthServer": "monitor.health.server",
    "PipelineMetrics": "monitor.health.metrics",
    "Probe": "monitor.health.server",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches."""


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "HealthServer",
    "PipelineMetrics",
    "Probe",
]
