"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom documents, read by feedparser; the one module that calls it.

feedparser gets bytes in a ``BytesIO`` (a string would make it open URLs or files), no Content-Location (GUIDs
it treats as permalinks would be resolved against the fetch URL and change when a feed moves; we resolve
relative links ourselves), and no sanitising or URI rewriting inside HTML (``text.py`` reduces HTML to text).
Character decoding is done once, up front, by feedparser's own ``convert_to_utf8`` so the pre-scan and
feedparser see the same UTF-8 bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from feedparser.mixin import _FeedParserMixin

from monitor.errors import ParseError
from monitor.parsing import dates, links, text, titles
from monitor.parsing.drafts import Draft, normalise_language, unique_tags

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ENCODING_DECLARATION = re.compile(rb"\s*<\?xml[^>]*\sencoding\s*=")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class XmlDocument:
    """What feedparser found in one document, items already normalised."""

    drafts: list[Draft]
    format: str
    title: str | None
    language: str | None
    warnings: tuple[str, ...]


def to_utf8(body: bytes, content_type: str | None, *, url: str) -> tuple[bytes, tuple[str, ...]]:
    """The document as feedparser will parse it (UTF-8, declaration rewritten) and any decoding warning.

    The HTTP charset is only used when the document does not say its own encoding: servers default to
    ``charset=ISO-8859-1`` far more often than feeds lie in their XML declaration (RFC 3023 would let the
    header win and garble every non-ASCII character), and a bare ``text/xml`` would mean US-ASCII.
    """
    state: dict[str, Any] = {}
    charset = _charset(content_type)
    declared = body.startswith(_BOMS) or _ENCODING_DECLARATION.match(body) is not None
    headers = {"content-type": f"application/xml; charset={charset}"} if charset and not declared else {}
    try:
        data = convert_to_utf8(headers, body, state)
    except UnicodeError as exc:  # feedparser trips over some BOM-like garbage instead of reporting it
        raise ParseError(url, f"cannot decode the document's characters: {exc}") from exc
    warning = state.get("bozo_exception")
    return data, ((f"character encoding: {warning}",) if warning else ())


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def parse_xml(data: bytes, *, url: str) -> XmlDocument:
    """Drafts of every item of a UTF-8 document (from ``to_utf8``); ParseError when it is not a feed."""
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:
        # feedparser's loose parser can raise anything on hostile bytes (e.g. TypeError on an image
        # width it cannot read); a broken feed must become a ParseError, never stop the poller
        raise ParseError(url, f"feedparser failed on this document ({_describe(exc)})") from exc
    version = parsed.get("version") or ""
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version and not parsed.entries:
        reason = "not an RSS, Atom or RDF feed"
        raise ParseError(url, f"{reason} ({_describe(bozo)})" if bozo else reason)
    # plain dict copies: FeedParserDict.get("updated_parsed") falls back to "published_parsed" (and warns)
    feed = dict.copy(parsed.get("feed", {}))
    language = normalise_language(feed.get("language"))
    own = _own_titles(data, len(parsed.entries))
    return XmlDocument(
        drafts=[
            _draft(dict.copy(entry), url, language, own[index] if own else None)
            for index, entry in enumerate(parsed.entries)
        ],
        format=version or "unknown",
        title=_detail_text(feed.get("title_detail"), feed.get("title")) or None,
        language=language,
        warnings=(f"recovered from malformed XML: {_describe(bozo)}",) if bozo else (),
    )


def _describe(exc: object) -> str:
    return f"{type(exc).__name__}: {exc}"


def _own_titles(data: bytes, entries: int) -> list[titles.OwnTitle | None] | None:
    """Each entry's own title when the document has nested titles and expat sees the same items."""
    if not entries or not titles.worth_scanning(data, entries):
        return None
    own = titles.own_titles(data)
    return own if own is not None and len(own) == entries else None


def _title(entry: Mapping[str, Any], own: titles.OwnTitle | None) -> str:
    """The item's own ``<title>`` wins over one feedparser took from a nested element (see ``titles``)."""
    if own is None:
        return _detail_text(entry.get("title_detail"), entry.get("title"))
    kind = _FeedParserMixin.map_content_type(own.type or "text/plain")
    if own.type is None and _FeedParserMixin.looks_like_html(own.text):  # feedparser's rule for RSS
        kind = "text/html"
    return _detail_text({"value": own.text, "type": kind}, None)


def _draft(
    entry: Mapping[str, Any], url: str, feed_language: str | None, own_title: titles.OwnTitle | None
) -> Draft:
    content_items = entry.get("content") or []
    content = "\n".join(filter(None, (_detail_text(item, None) for item in content_items)))
    summary = _detail_text(entry.get("summary_detail"), entry.get("summary"))
    if summary == content:  # feedparser copies Atom content into summary when there is no summary
        summary = ""
    guid = entry.get("id")
    return Draft(
        guid=(guid.strip() or None) if isinstance(guid, str) else None,
        link=pick_link(entry, url),
        title=_title(entry, own_title),
        summary=summary,
        content=content,
        author=_author(entry),
        published_at=_date(entry, "published") or _date(entry, "created"),
        updated_at=_date(entry, "updated"),
        language=_language(entry, content_items) or feed_language,
        tags=unique_tags([tag.get("label") or tag.get("term") for tag in entry.get("tags") or []]),
    )


def pick_link(entry: Mapping[str, Any], base_url: str) -> str | None:
    """The article link: the first alternate HTML link, else any alternate link, else a permalink GUID."""
    entry_links = entry.get("links") or []
    html = [
        item.get("href") for item in entry_links if links.is_html_alternate(item.get("rel"), item.get("type"))
    ]
    other = [item.get("href") for item in entry_links if (item.get("rel") or "alternate") == "alternate"]
    for href in (*html, *other):
        link = links.canonical_link(href, base_url)
        if link:
            return link
    permalink = entry.get("link")  # set from a permalink GUID: only an absolute URL is taken as a link
    return links.canonical_link(permalink) if links.is_web_url(permalink) else None


def _detail_text(detail: Mapping[str, Any] | None, fallback: object) -> str:
    if detail:
        value = detail.get("value") or ""
        kind = (detail.get("type") or "text/html").lower()
    else:
        value, kind = (fallback if isinstance(fallback, str) else ""), "text/html"
    return text.html_to_text(value) if kind in _HTML_TYPES else text.plain_text(value)


def _author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author") or ""
    return " ".join(str(name).split()) or None


def _date(entry: Mapping[str, Any], key: str) -> datetime | None:
    parsed = dates.from_struct_time(entry.get(f"{key}_parsed"))
    return parsed or dates.parse_date(entry.get(key))


def _language(entry: Mapping[str, Any], content_items: list[Mapping[str, Any]]) -> str | None:
    for detail in (entry.get("summary_detail"), *content_items, entry.get("title_detail")):
        if detail and detail.get("language"):
            return normalise_language(detail["language"])
    return None
