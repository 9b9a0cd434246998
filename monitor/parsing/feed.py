"""``parse_feed``: bytes of any supported feed → ``ParseResult`` of normalised entries.

The steps, each in its own module: sniff the bytes (``detect``), gunzip if needed, read JSON ourselves
(``jsonfeed``) or XML through feedparser (``xmlfeed``) after dropping already-stored items (``prescan``), then
turn items into entries the same way for every format (``drafts``, ``identity``).

It does no I/O and reads no wall clock (only a timer for ``ParseStats``), and its arguments pickle, so the
daemon can run it in a process pool.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from monitor.domain import ParseResult
from monitor.errors import ParseError
from monitor.parsing import dates, detect, jsonfeed, prescan, xmlfeed
from monitor.parsing.drafts import Draft, finalise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParseStats:
    """What one parse saw, skipped and cost: for logs and metrics (``ParseResult`` has no field for it)."""

    entries_seen: int  # items in the document, phantom and known ones included
    skipped_known: int  # items dropped because their identity was in ``known_identities``
    skipped_before_parse: int  # of those, the ones the pre-scan cut before feedparser saw them
    parse_seconds: float


@dataclass(frozen=True)
class _Items:
    """The normalised items of a document of any format, before identities and the known filter."""

    drafts: list[Draft]
    format: str
    title: str | None
    language: str | None
    warnings: tuple[str, ...] = ()
    seen: int = 0
    removed: int = 0


def parse_feed(
    body: bytes,
    *,
    url: str,
    fetched_at: datetime,
    content_type: str | None = None,
    known_identities: Container[str] = frozenset(),
    max_bytes: int = detect.MAX_DECOMPRESSED_BYTES,
) -> ParseResult:
    """The entries of a feed document that are not in ``known_identities``; ParseError if it is no feed.

    ``url`` is the URL the body came from (after redirects): relative links resolve against it and errors
    name it. ``fetched_at`` stands in for missing dates (flagged ``date_is_fallback``). ``content_type`` only
    helps character decoding; the format is always judged from the bytes. ``max_bytes`` caps a gzip body
    once decompressed: pass the configured ``http.max_body_bytes``, the cap the fetch applied to the wire.
    """
    result, _ = parse_feed_with_stats(
        body,
        url=url,
        fetched_at=fetched_at,
        content_type=content_type,
        known_identities=known_identities,
        max_bytes=max_bytes,
    )
    return result


def parse_feed_with_stats(
    body: bytes,
    *,
    url: str,
    fetched_at: datetime,
    content_type: str | None = None,
    known_identities: Container[str] = frozenset(),
    max_bytes: int = detect.MAX_DECOMPRESSED_BYTES,
) -> tuple[ParseResult, ParseStats]:
    """``parse_feed`` plus how many items were seen and skipped, and how long it took."""
    started = time.perf_counter()
    items = _read_items(body, url=url, content_type=content_type, known=known_identities, max_bytes=max_bytes)
    final = finalise(items.drafts, fetched_at=dates.to_utc(fetched_at), known=known_identities)
    result = ParseResult(
        entries=final.entries,
        format=items.format,
        feed_title=items.title,
        language=items.language,
        skipped_empty=final.skipped_empty,
        warnings=items.warnings,
    )
    stats = ParseStats(
        entries_seen=items.seen or len(items.drafts),
        skipped_known=items.removed + final.skipped_known,
        skipped_before_parse=items.removed,
        parse_seconds=time.perf_counter() - started,
    )
    return result, stats


def _read_items(
    body: bytes, *, url: str, content_type: str | None, known: Container[str], max_bytes: int
) -> _Items:
    kind = detect.sniff_format(body)
    if kind == "gzip":  # gzip bytes served without Content-Encoding
        body = detect.gunzip(body, url=url, limit=max_bytes)
        kind = detect.sniff_format(body)
        if kind == "gzip":
            raise ParseError(url, "gzip body that decompresses to gzip again")
    if kind == "json":
        document = jsonfeed.parse_json(body, url=url)
        return _Items(document.drafts, document.format, document.title, document.language)
    if kind == "xml":
        return _read_xml(body, url=url, content_type=content_type, known=known)
    raise ParseError(url, _not_a_feed(kind, body))


def _not_a_feed(kind: str, body: bytes) -> str:
    if kind == "html":
        title = detect.html_title(body)
        return f"an HTML page, not a feed (title: {title!r})" if title else "an HTML page, not a feed"
    if not body.strip():
        return "empty body"
    start = detect.head_text(body).strip()[:40]
    return f"unknown format: not XML, JSON or gzip (starts with {start!r})"


def _read_xml(body: bytes, *, url: str, content_type: str | None, known: Container[str]) -> _Items:
    data, warnings = xmlfeed.to_utf8(body, content_type, url=url)
    pruned = prescan.prune_known(data, base_url=url, known=known) if known else None
    if pruned is not None and pruned.removed:
        document = xmlfeed.parse_xml(pruned.data, url=url)
        if len(document.drafts) == pruned.items_seen - pruned.removed:
            return _xml_items(document, warnings, seen=pruned.items_seen, removed=pruned.removed)
        # expat and feedparser disagree about what an item is: the full parse is the truth
        log.warning(
            "prescan and feedparser disagree; parsing in full",
            extra={"action": "parse.prescan_mismatch", "url": url},
        )
    return _xml_items(xmlfeed.parse_xml(data, url=url), warnings)


def _xml_items(
    document: xmlfeed.XmlDocument, warnings: tuple[str, ...], *, seen: int = 0, removed: int = 0
) -> _Items:
    all_warnings = tuple(dict.fromkeys((*warnings, *document.warnings)))
    return _Items(
        document.drafts, document.format, document.title, document.language, all_warnings, seen, removed
    )
