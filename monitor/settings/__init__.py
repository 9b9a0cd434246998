"""Settings: config/*.yaml + environment → one frozen, validated ``Settings`` (see models.py)."""

from monitor.settings.loader import (
    database_only_settings,
    default_config_path,
    load_settings,
    rule_paths_despite_errors,
)
from monitor.settings.models import (
    DatabaseSettings,
    DeliverySettings,
    EnrichmentSettings,
    FeedSettings,
    HttpSettings,
    LoggingSettings,
    PollingSettings,
    RetentionSettings,
    RulesSettings,
    Settings,
    SourceHealthSettings,
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
    "RetentionSettings",
    "RulesSettings",
    "Settings",
    "SourceHealthSettings",
    "SubscriberSettings",
    "database_only_settings",
    "default_config_path",
    "load_settings",
    "rule_paths_despite_errors",
]
