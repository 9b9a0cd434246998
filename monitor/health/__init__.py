"""Read-only HTTP endpoints for operators: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.health.metrics import PipelineMetrics
    from monitor.health.server import HealthServer, Probe

_HOMES = {
    "HealthServer": "monitor.health.server",
    "PipelineMetrics": "monitor.health.metrics",
    "Probe": "monitor.health.server",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "HealthServer",
    "PipelineMetrics",
    "Probe",
]
