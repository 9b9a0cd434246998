"""Each item's own ``<title>``, for documents where feedparser lets a nested ``<title>`` win.

feedparser keeps the first title of an item and ignores deeper ones, except that any ``<image>``,
``<textinput>`` or ``<source>`` resets that memory. Google's Cloud Blog feed puts an Open Graph block
(``<og>…<image>…</og>``) and then ``<author><name/><title>Product Manager</title></author>`` in every item,
so 19 of its 20 articles came out titled with their author's job. One expat pass finds the title element
that is a direct child of each item; ``xmlfeed`` prefers it to feedparser's.

The pass is only worth running when a document has more closed title elements than items plus the
channel's own (``worth_scanning``), which is never the case for an ordinary feed.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Any

from feedparser.mixin import _FeedParserMixin

_CLOSED_TITLE = re.compile(rb"</(?:[\w.-]+:)?title\s*>")
_ITEM_TAGS = frozenset({"item", "entry"})
_CHANNEL_TITLES = 2  # the channel's own <title> and its <image><title>
# namespaces whose elements feedparser reads as core RSS/Atom (its prefix ""); none at all is core too
_CORE_URIS = frozenset(uri.lower() for uri, prefix in _FeedParserMixin.namespaces.items() if prefix == "")


@dataclass(frozen=True)
class OwnTitle:
    """The text of an item's direct-child ``<title>`` (entities already replaced) and its ``type``."""

    text: str
    type: str | None  # the Atom type attribute ("text", "html", "xhtml"), None in RSS


def worth_scanning(data: bytes, entries: int) -> bool:
    """Whether ``data`` has title elements beyond one per item and the channel's."""
    return len(_CLOSED_TITLE.findall(data)) > entries + _CHANNEL_TITLES


def own_titles(data: bytes) -> list[OwnTitle | None] | None:
    """Per item in document order, its own title (None: it has none, or one with markup inside).

    None for the whole document when expat cannot read it exactly (malformed XML that feedparser's loose
    parser recovers, entity declarations, nested items): then feedparser's titles stand.
    """
    scanner = _Scanner()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.EntityDeclHandler = _refuse  # never expand a DTD's entities (a bomb); feedparser's view stands
    parser.SkippedEntityHandler = _refuse
    try:
        parser.Parse(data, True)
    except (_Unreadable, xml.parsers.expat.ExpatError, ValueError):
        return None
    return scanner.titles


def _core_tag(name: str) -> tuple[bool, str]:
    """(a core RSS/Atom element, its lower-case local name) for an expat name "uri local" or "local"."""
    uri, _, local = name.rpartition(" ")
    return (not uri or uri.lower() in _CORE_URIS), local.lower()


class _Unreadable(Exception):
    """The document cannot be scanned exactly."""


def _refuse(*args: Any) -> None:
    raise _Unreadable


@dataclass
class _Scanner:
    titles: list[OwnTitle | None] = field(default_factory=list)
    depth: int = 0
    item_depth: int = 0  # depth of the open item, 0 outside items
    capture: list[str] | None = None  # text of the item's own title being read
    capture_type: str | None = None
    has_markup: bool = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        core, local = _core_tag(name)
        if self.capture is not None:
            self.has_markup = True
        elif core and local in _ITEM_TAGS:
            if self.item_depth:
                raise _Unreadable  # nested items: feedparser splits them its own way
            self.item_depth = self.depth
            self.titles.append(None)
        elif core and local == "title" and self._own_title_may_start():
            self.capture, self.capture_type, self.has_markup = [], attrs.get("type"), False

    def _own_title_may_start(self) -> bool:
        # a direct child of the item, and the first (feedparser keeps the first title too)
        return bool(self.item_depth) and self.depth == self.item_depth + 1 and self.titles[-1] is None

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    def end(self, name: str) -> None:
        if self.capture is not None and self.depth == self.item_depth + 1:
            text = "".join(self.capture)
            if not self.has_markup and text.strip():
                self.titles[-1] = OwnTitle(text, self.capture_type)
            self.capture = None
        elif self.depth == self.item_depth:
            self.item_depth = 0
        self.depth -= 1
