"""Managing the feed list by hand: add and remove, with the configuration's feeds out of reach.

A feed listed in the configuration is edited there: the CLI refuses to add (rename, retag) or remove it,
because the next start would undo the change. Removing disables a feed; its articles and alerts stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from monitor import storage
from monitor.domain import FeedSource, FeedStatus
from monitor.errors import ConfigError, Problem, SourceLocation
from monitor.settings import Settings

FEED_SCHEMES = ("http://", "https://", "file:")


def configured_feeds(settings: Settings, db: storage.Database | None = None) -> dict[str, str]:
    """URL → where the configuration lists it, for every configured feed (and the URL a configured feed
    moved to, when ``db`` is given)."""
    found = {f.url: settings.location_of(f"feeds.{i}.url") for i, f in enumerate(settings.feeds)}
    if db is not None:
        for record in storage.list_feeds(db):
            if record.moved_from in found and record.source == storage.SOURCE_CONFIG:
                found.setdefault(record.url, found[record.moved_from])
    return found


def config_owned_problem(url: str, configured: Mapping[str, str]) -> str | None:
    """Why the CLI must leave ``url`` alone, or None."""
    where = configured.get(url)
    return None if where is None else f"this feed is in the configuration ({where}): edit or remove it there"


def feed_url_problem(url: str) -> str | None:
    return None if url.startswith(FEED_SCHEMES) else "a feed url must start with http://, https:// or file:"


def add_feed(
    db: storage.Database,
    url: str,
    now: datetime,
    *,
    name: str | None,
    interval_s: int,
    tags: Sequence[str] = (),
    fetch_full_text: bool = False,
    configured: Mapping[str, str] | None = None,
) -> storage.FeedRecord:
    """Add (or update and reactivate) a CLI feed; a ConfigError for a bad URL or a configured feed."""
    problem = feed_url_problem(url) or config_owned_problem(url, configured or {})
    if problem:
        raise ConfigError([Problem(SourceLocation(url), problem)])
    feed = FeedSource(
        url=url, name=name or url, interval_s=interval_s, tags=tuple(tags), fetch_full_text=fetch_full_text
    )
    return storage.add_feed(db, feed, now)


def remove_feed(db: storage.Database, url: str, configured: Mapping[str, str] | None = None) -> bool:
    """Disable a feed (its articles and alerts stay); False when there is none with that URL."""
    problem = config_owned_problem(url, configured or {})
    if problem:
        raise ConfigError([Problem(SourceLocation(url), problem)])
    return storage.remove_feed(db, url)


def exported_feeds(db: storage.Database) -> list[storage.FeedRecord]:
    """The feeds an export lists: every one not removed (disabled)."""
    return [f for f in storage.list_feeds(db) if f.status != FeedStatus.DISABLED]
