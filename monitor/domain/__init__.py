"""Frozen values that travel between stages: fetch → parse → store → enrich → match → alert.

Nothing here does I/O or knows a library; stages exchange these and storage persists them.
All datetimes are timezone-aware UTC. The alerting values (outbox items, story alerts) live in
``monitor.domain.alerts`` and are re-exported here, so every stage imports from ``monitor.domain``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from monitor.domain.alerts import (
    ALERT_FORMATS,
    AlertEvent,
    AlertRef,
    AlertRequest,
    DeliveryResult,
    HeldAlert,
    OutboxItem,
)


class FeedStatus(enum.StrEnum):
    ACTIVE = "active"
    GONE = "gone"  # HTTP 410: deactivated until someone re-adds it
    DISABLED = "disabled"  # switched off by a person


@dataclass(frozen=True)
class FeedSource:
    """A feed as a person wrote it (configuration, ``feeds add``, OPML): what to store, not yet stored.

    ``etag``/``last_modified`` are validators already known for it (a fetch of a feed not stored yet
    may send them)."""

    url: str
    name: str
    interval_s: int
    tags: tuple[str, ...] = ()
    fetch_full_text: bool = False
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class ClaimedFeed:
    """A stored feed claimed for one poll: its row id (always there), its options as stored on the row,
    and what we remember from the last poll. The poller never looks a feed up in the configuration: a
    feed that moved to a new URL keeps its options."""

    id: int
    url: str
    name: str
    interval_s: int
    tags: tuple[str, ...] = ()
    fetch_full_text: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    status: FeedStatus = FeedStatus.ACTIVE
    # a 301/308 target seen on consecutive polls; persisted as the new url after enough sightings
    redirect_candidate: str | None = None
    redirect_count: int = 0


@dataclass(frozen=True)
class FetchTarget:
    """What a conditional GET needs and nothing else: an article page, or a feed (``Fetchable``)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


class Fetchable(Protocol):
    """Anything the fetcher can GET: ``FetchTarget``, ``FeedSource`` and ``ClaimedFeed`` all are."""

    @property
    def url(self) -> str: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...


@dataclass(frozen=True)
class FetchResult:
    """What a conditional GET returned. ``body`` is None exactly when ``not_modified`` is True.

    ``permanent_redirect`` is the final URL when every hop of the redirect chain was a 301/308: the
    poller counts how often it sees it before it moves the feed there.
    """

    url: str  # the URL we asked for
    final_url: str  # after redirects; base for relative links
    status: int
    fetched_at: datetime
    body: bytes | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    permanent_redirect: str | None = None
    elapsed_s: float = 0.0


@dataclass(frozen=True)
class FeedUpdate:
    """What one poll changes about a feed; written with the poll's new articles in one transaction."""

    feed_id: int
    checked_at: datetime
    next_poll_at: datetime
    error_count: int = 0
    last_error: str | None = None
    status: FeedStatus = FeedStatus.ACTIVE
    etag: str | None = None
    last_modified: str | None = None
    url: str | None = None  # set when a permanent redirect has been confirmed
    redirect_candidate: str | None = None
    redirect_count: int = 0
    title: str | None = None  # the feed's own title, when it declared one
    http_status: int | None = None


@dataclass(frozen=True)
class Entry:
    """One normalised feed item: plain text, UTC dates, and an identity unique within its feed."""

    identity: str  # stable hash: GUID → GUID+link on collision → link → title+content
    title: str
    link: str | None = None
    guid: str | None = None
    summary: str = ""
    content: str = ""
    author: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    date_is_fallback: bool = False  # published_at is the fetch time: the feed gave no usable date
    language: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseResult:
    """The entries of one document plus what the parser noticed about it."""

    entries: tuple[Entry, ...]
    format: str  # "rss20", "atom10", "rss10", "json11", ...
    feed_title: str | None = None
    language: str | None = None
    skipped_empty: int = 0  # phantom entries with no title, link, guid or text
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A stored entry: what rules see. ``feed_name``/``feed_url`` let rules scope to the source."""

    id: int
    feed_id: int
    feed_name: str
    feed_url: str
    identity: str
    title: str
    link: str | None
    guid: str | None
    summary: str
    content: str
    author: str | None
    published_at: datetime
    fetched_at: datetime
    date_is_fallback: bool = False
    language: str | None = None
    tags: tuple[str, ...] = ()  # the entry's categories plus the feed's configured tags
    story_id: int | None = None

    def field_text(self, name: str) -> str:
        """The text of a rule-addressable field (title, summary, content, link, feed, tags, text).

        Hard-wrapped prose in the summary and content is read unwrapped (``unwrap_lines``): a line break
        inside a paragraph is a space, so it ends neither a sentence nor a paragraph. Offsets do not move.
        """
        if name == "text":
            parts = (self.title, unwrap_lines(self.summary), unwrap_lines(self.content))
            return "\n".join(part for part in parts if part)
        if name in ("summary", "content"):
            return unwrap_lines(getattr(self, name))
        if name == "feed":
            return self.feed_name
        if name == "tags":
            return "\n".join(self.tags)
        if name == "link":
            return self.link or ""
        value = getattr(self, name)
        return value if isinstance(value, str) else ""


WRAPPED_LINE_SHARE = 0.6
"""A line at least this share of the longest line's length was wrapped, not ended, by its writer."""
_MIN_WRAP_CHARS = 40
_MAX_WRAP_CHARS = 160  # wider lines are paragraphs written on one line each, not a wrapped column


def unwrap_lines(text: str) -> str:
    """``text`` with the line breaks of hard-wrapped paragraphs replaced by spaces (same length).

    Text wrapped at a fixed width (e-mail, plain-text wires, YAML block scalars) breaks lines mid-sentence
    ("registered in\nDubai"); read literally, every line would be a sentence and a paragraph. When most
    lines are long, a break after a line of near-full width is a wrap; a break after a short line, a blank
    line, a list item or a table row ("X Ltd | entity | asset freeze") stays. Text that is not wrapped comes back
    unchanged.
    """
    if text.count("\n") < 2:
        return text
    lines = text.split("\n")
    longest = max(len(line.rstrip()) for line in lines)
    if not _MIN_WRAP_CHARS <= longest <= _MAX_WRAP_CHARS:
        return text
    full = [len(line.rstrip()) >= WRAPPED_LINE_SHARE * longest for line in lines[:-1]]
    open_ended = [
        f and not line.rstrip().endswith((".", "!", "?", ":", '"', "”"))
        for f, line in zip(full, lines, strict=False)
    ]
    # most lines are near-full, or most breaks inside a block of lines are: a paragraph's last line is short
    # whether or not its writer wrapped it, and blank lines or a one-line slug ("(Adds detail, paragraphs
    # 2-4)") say nothing about the width either
    inside = [i for i in range(len(lines) - 1) if lines[i].strip() and lines[i + 1].strip()]
    mostly_full = sum(full) >= max(2, len(full) // 2)
    blocks_full = sum(full[i] for i in inside) >= max(2, len(inside) // 2)
    if not (mostly_full or blocks_full) or not any(open_ended):
        return text
    out = []
    for index, line in enumerate(lines[:-1]):
        after = lines[index + 1].lstrip()
        table = " | " in line or " | " in after  # a table as text: one row per line
        soft = full[index] and after and not after.startswith(("-", "*", "•")) and not table
        out.append(line + (" " if soft else "\n"))
    return "".join(out) + lines[-1]


@dataclass(frozen=True)
class EntitySpan:
    text: str
    label: str  # PERSON, ORG, GPE, ...
    start: int  # character offsets into Article.field_text("text")
    end: int
    sentence: int
    canonical: str | None = None  # watch-list canonical name
    watchlist: str | None = None


@dataclass(frozen=True)
class Quantity:
    text: str
    value: float
    unit: str  # barrels_per_day, barrels, tonnes, cubic_metres, percent, currency:USD, ...
    start: int
    end: int
    sentence: int
    governors: tuple[str, ...] = ()  # nearby governing words: exports, output, price, ...


@dataclass(frozen=True)
class SyntaxToken:
    """One token of a parsed sentence; offsets into ``Article.field_text("text")`` like every span."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str  # universal part of speech: VERB, NOUN, PROPN, ADJ, ...
    dep: str  # dependency label: nsubj, dobj, pobj, agent, conj, amod, ...
    head: int  # index of the head token within ``ParsedSentence.tokens``; the root is its own head


@dataclass(frozen=True)
class ParsedSentence:
    """A sentence the dependency parser read because some rule asked for syntax near its trigger words."""

    start: int
    end: int
    tokens: tuple[SyntaxToken, ...]


Window = tuple[int, int]
"""A character range [start, end) of ``Article.field_text("text")``."""


@dataclass(frozen=True)
class EnrichmentNeeds:
    """What the rules need to know of one article, decided before enrichment (``RuleSet.needs``).

    Enrichment then does only that: nothing for an article no rule's literal occurs in, figures only for
    quantity rules, entities and parses only in the sentences around the trigger literals (plus title and
    lead). ``everything`` is the "enrich everything" mode: entities over the whole text.
    """

    everything: bool = False
    quantities: bool = False
    entity_windows: tuple[Window, ...] = ()
    syntax_windows: tuple[Window, ...] = ()

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.quantities or self.entity_windows or self.syntax_windows)


@dataclass(frozen=True)
class Enrichment:
    """What enrichment learned about an article; empty until the enrichment stage runs.

    ``parses`` holds only the sentences a rule asked syntax for (``EnrichmentNeeds.syntax_windows``).
    """

    article_id: int
    entities: tuple[EntitySpan, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    story_fingerprint: str | None = None
    parses: tuple[ParsedSentence, ...] = ()


@dataclass(frozen=True)
class Span:
    """A piece of matched text: which field, where, and the text itself."""

    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Match:
    """A rule held for an article. ``captures`` is JSON-serialisable; ``explanation`` says why."""

    rule_id: str
    rule_title: str
    article_id: int
    key: str  # what the alert is about; "" when the rule has no key
    severity: str = "medium"
    tags: tuple[str, ...] = ()
    captures: Mapping[str, Any] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()
    explanation: tuple[str, ...] = ()


__all__ = [
    "ALERT_FORMATS",
    "AlertEvent",
    "AlertRef",
    "AlertRequest",
    "DeliveryResult",
    "HeldAlert",
    "OutboxItem",
]
