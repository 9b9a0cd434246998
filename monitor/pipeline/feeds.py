"""Managing the feed list by hand: add, remove, list, and OPML import/export (the format every reader speaks)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from monitor import storage
from monitor.domain import FeedSource
from monitor.errors import ConfigError, Problem, SourceLocation
from monitor.settings import Settings


def add_feed(
    db: storage.Database,
    url: str,
    now: datetime,
    *,
    name: str | None,
    interval_s: int,
    tags: Sequence[str] = (),
) -> FeedSource:
    if not url.startswith(("http://", "https://", "file:")):
        raise ConfigError(
            [Problem(SourceLocation(url), "a feed url must start with http://, https:// or file:")]
        )
    return storage.add_feed(
        db, FeedSource(url=url, name=name or url, interval_s=interval_s, tags=tuple(tags)), now
    )


def import_opml(db: storage.Database, path: Path, now: datetime, default_interval_s: int) -> list[FeedSource]:
    """Add every outline with an ``xmlUrl``; its category path becomes the feed's tags."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ConfigError([Problem(SourceLocation(str(path)), f"not a readable OPML file: {exc}")]) from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError([Problem(SourceLocation(str(path)), "not an OPML document (no <opml><body>)")])
    added = []
    for outline, tags in _outlines(body, ()):
        url = outline.get("xmlUrl", "").strip()
        name = outline.get("title") or outline.get("text") or url
        added.append(add_feed(db, url, now, name=name, interval_s=default_interval_s, tags=tags))
    return added


def _outlines(parent: ET.Element, tags: tuple[str, ...]) -> list[tuple[ET.Element, tuple[str, ...]]]:
    found = []
    for outline in parent.findall("outline"):
        if outline.get("xmlUrl"):
            found.append((outline, tags))
        else:
            label = outline.get("title") or outline.get("text")
            found.extend(_outlines(outline, (*tags, label) if label else tags))
    return found


def export_opml(db: storage.Database, settings: Settings) -> str:
    """Every stored feed as OPML 2.0, grouped by first tag."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"newsmon feeds ({settings.source})"
    body = ET.SubElement(root, "body")
    groups: dict[str, ET.Element] = {}
    for feed in storage.list_feeds(db):
        parent = body
        if feed.tags:
            parent = groups.setdefault(feed.tags[0], ET.SubElement(body, "outline", text=feed.tags[0]))
        ET.SubElement(parent, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
