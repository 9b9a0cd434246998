"""OPML import and export: the feed list in the format every reader speaks, round-tripping ours.

Export writes one folder per first tag (what readers show), every tag in the standard ``category``
attribute, the poll interval in a ``newsmon:interval_s`` attribute and ``newsmon:fetch_full_text``, so
importing an export gives back the same feeds. Import reports every outline: added, updated, unchanged
or skipped with the reason; one bad outline never stops the others. Feeds the configuration lists are skipped (edit them there).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from monitor import storage
from monitor.domain import FeedSource
from monitor.errors import ConfigError, Problem, SourceLocation
from monitor.pipeline.feeds import config_owned_problem, exported_feeds, feed_url_problem
from monitor.settings import Settings

NAMESPACE = "https://newsmon.example/opml"
_INTERVAL = f"{{{NAMESPACE}}}interval_s"
_FULL_TEXT = f"{{{NAMESPACE}}}fetch_full_text"
MIN_INTERVAL_S = 5
Outcome = Literal["added", "updated", "unchanged", "skipped"]


@dataclass(frozen=True)
class OutlineReport:
    """What became of one feed outline, numbered in document order (1 = the first outline)."""

    number: int
    label: str
    outcome: Outcome
    reason: str = ""


def import_opml(
    db: storage.Database, path: Path, now: datetime, settings: Settings, configured: dict[str, str]
) -> list[OutlineReport]:
    """Add or update a CLI feed for every outline with an ``xmlUrl``; folder names and ``category`` become
    tags. Raises ConfigError only when the file itself is not OPML."""
    body = _body(path)
    reports = []
    for number, (outline, folders) in enumerate(_feed_outlines(body, ()), start=1):
        reports.append(_import_one(db, number, outline, folders, now, settings, configured))
    return reports


def _import_one(
    db: storage.Database,
    number: int,
    outline: ET.Element,
    folders: tuple[str, ...],
    now: datetime,
    settings: Settings,
    configured: dict[str, str],
) -> OutlineReport:
    url = (outline.get("xmlUrl") or "").strip()
    name = (outline.get("title") or outline.get("text") or "").strip() or url
    label = f"{name} <{url}>" if url and name != url else (url or name or "(untitled)")
    interval_s, bad_interval = _interval(outline, settings.polling.default_interval_s)
    problem = (
        ("no xmlUrl: not a feed" if not url else None)
        or feed_url_problem(url)
        or config_owned_problem(url, configured)
        or bad_interval
    )
    if problem:
        return OutlineReport(number, label, "skipped", problem)
    tags = tuple(dict.fromkeys((*folders, *_categories(outline))))
    before = storage.get_feed(db, url)
    full_text = (outline.get(_FULL_TEXT) or "").strip().lower() == "true"
    after = storage.add_feed(db, FeedSource(url, name, interval_s, tags=tags, fetch_full_text=full_text), now)
    if before is None:
        return OutlineReport(number, label, "added")

    def shown(feed: storage.FeedRecord) -> tuple[object, ...]:
        return (feed.name, feed.interval_s, feed.tags, feed.status, feed.fetch_full_text)

    same = shown(before) == shown(after)
    return OutlineReport(number, label, "unchanged" if same else "updated")


def _body(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ConfigError([Problem(SourceLocation(str(path)), f"not a readable OPML file: {exc}")]) from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError([Problem(SourceLocation(str(path)), "not an OPML document (no <opml><body>)")])
    return body


def _feed_outlines(
    parent: ET.Element, folders: tuple[str, ...]
) -> Iterator[tuple[ET.Element, tuple[str, ...]]]:
    """Every outline that is not a folder (a folder has outlines inside and no ``xmlUrl``)."""
    for outline in parent.findall("outline"):
        if outline.get("xmlUrl") is None and outline.find("outline") is not None:
            label = (outline.get("title") or outline.get("text") or "").strip()
            yield from _feed_outlines(outline, (*folders, label) if label else folders)
        else:
            yield outline, folders


def _categories(outline: ET.Element) -> list[str]:
    """OPML's ``category``: comma-separated, slash-delimited paths; each path's parts become tags."""
    found: list[str] = []
    for path in (outline.get("category") or "").split(","):
        found.extend(part.strip() for part in path.split("/") if part.strip())
    return found


def _interval(outline: ET.Element, default_s: int) -> tuple[int, str | None]:
    text = outline.get(_INTERVAL)
    if text is None:
        return default_s, None
    if not text.strip().isdigit() or int(text) < MIN_INTERVAL_S:
        return default_s, f"newsmon:interval_s={text!r} is not a whole number of seconds >= {MIN_INTERVAL_S}"
    return int(text), None


def export_opml(db: storage.Database, settings: Settings) -> str:
    """Every feed not removed as OPML 2.0: a folder per first tag, all tags and the interval kept."""
    ET.register_namespace("newsmon", NAMESPACE)
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"newsmon feeds ({settings.source})"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in exported_feeds(db):
        parent = body
        if feed.tags:
            if feed.tags[0] not in folders:
                folders[feed.tags[0]] = ET.SubElement(body, "outline", text=feed.tags[0], title=feed.tags[0])
            parent = folders[feed.tags[0]]
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.tags:
            attributes["category"] = ",".join(f"/{tag}" for tag in feed.tags)
        attributes[_INTERVAL] = str(feed.interval_s)
        if feed.fetch_full_text:
            attributes[_FULL_TEXT] = "true"
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
