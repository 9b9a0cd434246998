"""Settings: config/*.yaml + environment → one frozen, validated ``Settings`` (see models.py)."""

from monitor.settings.loader import default_config_path, load_settings
from monitor.settings.models import (
    DatabaseSettings,
    DeliverySettings,
    EnrichmentSettings,
    FeedSettings,
    HttpSettings,
    LoggingSettings,
    PollingSettings,
    RulesSettings,
    Settings,
    SubscriberSettings,
)

__all__ = [
    "DatabaseSettings",
    "DeliverySettings",
    "EnrichmentSettings",
    "FeedSettings",
    "HttpSettings",
    "LoggingSettings",
    "PollingSettings",
    "RulesSettings",
    "Settings",
    "SubscriberSettings",
    "default_config_path",
    "load_settings",
]
