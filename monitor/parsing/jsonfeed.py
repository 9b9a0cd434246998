"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) and Dave Winer's RSS-in-JSON, read by our own code.

feedparser 6 returns nothing for JSON (it runs its XML parsers over it and gives up), so JSON documents are
read here. Both shapes are small and regular; anything else that is valid JSON is not a feed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.errors import ParseError
from monitor.parsing import dates, links, text
from monitor.parsing.drafts import Draft, normalise_language, unique_tags

_JSON_FEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/(\d+)(?:\.(\d+))?/?$")


@dataclass(frozen=True)
class JsonDocument:
    drafts: list[Draft]
    format: str
    title: str | None
    language: str | None


def parse_json(body: bytes, *, url: str) -> JsonDocument:
    """Drafts of a JSON Feed or RSS-in-JSON document; ParseError for invalid JSON or another JSON shape."""
    try:
        document = json.loads(body)
    except UnicodeDecodeError as exc:
        raise ParseError(url, f"JSON document is not valid UTF-8/16/32 text ({exc.reason})") from exc
    except RecursionError as exc:
        raise ParseError(url, "JSON document nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(
            url, f"invalid JSON (truncated?) at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    if isinstance(document, dict):
        version = document.get("version")
        match = _JSON_FEED_VERSION.match(version.strip()) if isinstance(version, str) else None
        if match:  # "json10", "json11"
            return _json_feed(document, f"json{match.group(1)}{match.group(2) or 0}", url)
        rss = document.get("rss")
        if isinstance(rss, dict) and isinstance(rss.get("channel"), dict):
            return _rss_in_json(rss["channel"], url)
    raise ParseError(url, "JSON document is neither a JSON Feed (no jsonfeed.org 'version') nor RSS-in-JSON")


def _json_feed(document: Mapping[str, Any], format_name: str, url: str) -> JsonDocument:
    language = normalise_language(document.get("language"))
    base = _string(document.get("feed_url")) or url
    feed_authors = _authors(document)
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError(url, "JSON Feed without an 'items' list")
    return JsonDocument(
        drafts=[_json_item(item, base, language, feed_authors) for item in items if isinstance(item, dict)],
        format=format_name,
        title=text.plain_text(_string(document.get("title"))) or None,
        language=language,
    )


def _json_item(item: Mapping[str, Any], base: str, language: str | None, feed_authors: list[str]) -> Draft:
    content_html, content_text = _string(item.get("content_html")), _string(item.get("content_text"))
    content = text.html_to_text(content_html) if content_html else text.plain_text(content_text)
    summary = text.plain_text(_string(item.get("summary")))
    authors = _authors(item) or feed_authors
    return Draft(
        guid=_item_id(item.get("id")),
        link=links.canonical_link(_string(item.get("url")) or _string(item.get("external_url")), base),
        title=text.plain_text(_string(item.get("title"))),
        summary="" if summary == content else summary,
        content=content,
        author=", ".join(authors) or None,
        published_at=dates.parse_date(_string(item.get("date_published"))),
        updated_at=dates.parse_date(_string(item.get("date_modified"))),
        language=normalise_language(item.get("language")) or language,
        tags=unique_tags(_list(item.get("tags"))),
    )


def _item_id(value: object) -> str | None:
    """JSON Feed says ``id`` is a string; numbers appear in the wild and mean the same id."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _authors(obj: Mapping[str, Any]) -> list[str]:
    """JSON Feed 1.1 ``authors`` wins over the 1.0 ``author`` object."""
    authors = obj.get("authors")
    if not isinstance(authors, list) or not authors:
        authors = [obj.get("author")]
    names = (_string(author.get("name")).strip() for author in authors if isinstance(author, dict))
    return [name for name in names if name]


def _rss_in_json(channel: Mapping[str, Any], url: str) -> JsonDocument:
    """RSS 2.0 transliterated to JSON (scripting.com): channel.item is a list of RSS item objects."""
    language = normalise_language(channel.get("language"))
    base = _string(channel.get("link")) or url
    items = channel.get("item")
    items = items if isinstance(items, list) else [items] if isinstance(items, dict) else []
    return JsonDocument(
        drafts=[_rss_item(item, base, language) for item in items if isinstance(item, dict)],
        format="rss-in-json",
        title=text.plain_text(_string(channel.get("title"))) or None,
        language=language,
    )


def _rss_item(item: Mapping[str, Any], base: str, language: str | None) -> Draft:
    guid = item.get("guid")
    if isinstance(guid, dict):  # {"isPermaLink": "false", "#value": "..."}
        guid = guid.get("#value")
    category = item.get("category")
    categories = category if isinstance(category, list) else [category]
    return Draft(
        guid=_string(guid).strip() or None,
        link=links.canonical_link(_string(item.get("link")), base),
        title=text.html_to_text(_string(item.get("title"))),
        summary=text.html_to_text(_string(item.get("description"))),
        author=_string(item.get("author")).strip() or None,
        published_at=dates.parse_date(_string(item.get("pubDate"))),
        language=language,
        tags=unique_tags([c.get("#value") if isinstance(c, dict) else c for c in categories]),
    )


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""
