"""Read-only HTTP endpoints for operators: liveness, readiness, Prometheus metrics."""

from monitor.health.metrics import PipelineMetrics
from monitor.health.server import HealthServer, Probe

__all__ = ["HealthServer", "PipelineMetrics", "Probe"]
