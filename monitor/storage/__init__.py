"""Storage: tables, migrations, every query, transaction boundaries and claims (SQLAlchemy + Alembic).

The pipeline talks to the database only through these functions; each takes the ``Database`` first and,
where time matters, ``now`` (storage never reads the clock). Three transactions carry the work:

- ``save_poll``: a feed's new state and its new articles;
- ``save_processed``: a batch's enrichment, matches, alerts and outbox rows, and its processed marks;
- ``record_delivery``: an outbox row's outcome and a delivery log row.

Alerts (since migration 0002): one per story, rule, key and subscriber, with the articles recorded on it
(``alert_history``, written inside ``save_processed``), alerts held for digests and quiet hours and their
release (``holds``), silences, and the reads behind ``newsmon alerts`` (``alert_reports``).

Work is claimed by lease (``claim_due_feeds``, ``claim_unprocessed_articles``, ``claim_due_outbox``), with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several daemons can share one database; ``notify``/``listen``
wake idle workers (PostgreSQL ``LISTEN/NOTIFY``, in-process on SQLite).
"""

from monitor.domain import AlertEvent, AlertRef, HeldAlert
from monitor.storage.alert_history import AlertSnapshot, AlertState, StoryArticle, load_alert_history
from monitor.storage.alert_reports import (
    AlertDetail,
    AlertSummary,
    alert_detail,
    list_story_alerts,
    resend_alert,
)
from monitor.storage.articles import claim_unprocessed_articles, get_articles, release_articles
from monitor.storage.claims import ANONYMOUS, Lease, held_by, release_leases, renew_leases
from monitor.storage.database import Database
from monitor.storage.feeds import (
    SOURCE_CLI,
    SOURCE_CONFIG,
    add_feed,
    claim_due_feeds,
    get_feed,
    list_feeds,
    remove_feed,
    sync_configured_feeds,
)
from monitor.storage.history import iter_articles
from monitor.storage.holds import HeldRecord, due_holds, release_holds
from monitor.storage.outbox import (
    cancel_outbox,
    channel_fingerprint,
    channel_label,
    claim_due_outbox,
    purge_outbox,
    record_delivery,
)
from monitor.storage.polls import known_identities, save_poll
from monitor.storage.processing import ProcessedArticle, Quarantine, save_processed
from monitor.storage.records import FeedRecord, QuarantinedArticle, StorageStats
from monitor.storage.reports import list_quarantined, storage_stats
from monitor.storage.retention import PruneReport, RetentionPolicy, prune
from monitor.storage.rule_state import (
    StateConflict,
    delete_rule_state,
    get_rule_state,
    put_rule_state,
    rule_states,
)
from monitor.storage.silences import SilenceRecord, add_silence, end_silence, list_silences
from monitor.storage.source_health import (
    SOURCE_HEALTH_RULE,
    FeedHealth,
    feed_health,
    save_health_changes,
)
from monitor.storage.stories import StoryRow, story_candidates
from monitor.storage.wakeups import NEW_ARTICLES, NEW_OUTBOX, Listener, listen, notify

__all__ = [
    "ANONYMOUS",
    "NEW_ARTICLES",
    "NEW_OUTBOX",
    "SOURCE_CLI",
    "SOURCE_CONFIG",
    "SOURCE_HEALTH_RULE",
    "AlertDetail",
    "AlertEvent",
    "AlertRef",
    "AlertSnapshot",
    "AlertState",
    "AlertSummary",
    "Database",
    "FeedHealth",
    "FeedRecord",
    "HeldAlert",
    "HeldRecord",
    "Lease",
    "Listener",
    "ProcessedArticle",
    "PruneReport",
    "Quarantine",
    "QuarantinedArticle",
    "RetentionPolicy",
    "SilenceRecord",
    "StateConflict",
    "StorageStats",
    "StoryArticle",
    "StoryRow",
    "add_feed",
    "add_silence",
    "alert_detail",
    "cancel_outbox",
    "channel_fingerprint",
    "channel_label",
    "claim_due_feeds",
    "claim_due_outbox",
    "claim_unprocessed_articles",
    "delete_rule_state",
    "due_holds",
    "end_silence",
    "feed_health",
    "get_articles",
    "get_feed",
    "get_rule_state",
    "held_by",
    "iter_articles",
    "known_identities",
    "list_feeds",
    "list_quarantined",
    "list_silences",
    "list_story_alerts",
    "listen",
    "load_alert_history",
    "notify",
    "prune",
    "purge_outbox",
    "put_rule_state",
    "record_delivery",
    "release_articles",
    "release_holds",
    "release_leases",
    "remove_feed",
    "renew_leases",
    "resend_alert",
    "rule_states",
    "save_health_changes",
    "save_poll",
    "save_processed",
    "storage_stats",
    "story_candidates",
    "sync_configured_feeds",
]
