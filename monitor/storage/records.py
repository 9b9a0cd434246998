"""Read models storage hands to the CLI and health checks: what a person wants to see, frozen.

They are not ``domain`` values because nothing downstream of storage consumes them; they only leave it to
be displayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.domain import ClaimedFeed, FeedStatus


@dataclass(frozen=True)
class FeedRecord:
    """A feed with its polling health, for ``newsmon feeds list`` and ``status``."""

    id: int
    url: str
    name: str
    title: str | None
    interval_s: int
    tags: tuple[str, ...]
    status: FeedStatus
    source: str  # "config" (from config/*.yaml) or "cli" (added with `newsmon feeds add`)
    next_poll_at: datetime
    last_polled_at: datetime | None
    last_status: int | None  # HTTP status of the last poll
    error_count: int
    last_error: str | None
    etag: str | None
    last_modified: str | None
    redirect_candidate: str | None
    redirect_count: int
    moved_from: str | None  # the URL it had when first stored, kept across every confirmed move
    fetch_full_text: bool
    claimed_until: datetime | None
    created_at: datetime

    def as_claimed(self) -> ClaimedFeed:
        """The same feed as the poller sees it."""
        return ClaimedFeed(
            id=self.id,
            url=self.url,
            name=self.name,
            interval_s=self.interval_s,
            tags=self.tags,
            fetch_full_text=self.fetch_full_text,
            etag=self.etag,
            last_modified=self.last_modified,
            error_count=self.error_count,
            status=self.status,
            redirect_candidate=self.redirect_candidate,
            redirect_count=self.redirect_count,
        )


@dataclass(frozen=True)
class StorageStats:
    """Counts for ``newsmon status`` and the health endpoints, read in one snapshot."""

    feeds_active: int
    feeds_inactive: int  # gone or disabled
    feeds_failing: int  # active with at least one consecutive error
    feeds_due: int
    articles: int
    articles_unprocessed: int
    outbox_pending: int
    outbox_due: int
    outbox_dead: int
    outbox_sent: int
    last_poll_at: datetime | None
    oldest_pending_alert_at: datetime | None
    alerts_held: int = 0  # held for a digest or until quiet hours end (since 0002)
    articles_quarantined: int = 0  # rule evaluation went over its time budget (since 0003)


@dataclass(frozen=True)
class QuarantinedArticle:
    """An article set aside because its rules took too long: shown by ``newsmon status``."""

    article_id: int
    title: str
    rule_id: str | None
    reason: str
    quarantined_at: datetime
