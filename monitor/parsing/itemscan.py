"""One expat pass over a feed document that reports, per item, its byte range, GUID and link.

It mirrors the parts of feedparser's state machine that decide what feedparser will report as an item's GUID
and link (``xml:base`` tracking, the permalink rule, namespace mapping, ``<source>`` and ``<image>``), so that
``prescan`` can compute identities without feedparser. Where mirroring would be guesswork the item is marked
uncertain (with the values it might have), or the whole document is refused (``scan`` returns None): nested
items, a document expat cannot read, a DTD with entities, undeclared entities, a ``<div>`` in escaped content
when ``xml:base`` is in use (feedparser's base stack goes out of step there).
"""

from __future__ import annotations

import functools
import re
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri

from monitor.parsing import links

# feedparser's table of known namespaces → its standard prefix ("" = core RSS/Atom elements).
_CANONICAL: dict[str, str] = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_USERLAND = "http://backend.userland.com/rss"
_ITEM_TAGS = frozenset({"item", "entry"})
_ID_TAGS = frozenset({"guid", "id"})
_CHILD_TAGS = frozenset({"guid", "id", "link", "source", "image"})  # the children of an item we look at
_BASE_ATTRIBUTE = re.compile(rb"base\s*=")
# core elements that do not end feedparser's "in image" state (mixin.unknown_starttag)
_KEEP_INIMAGE = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]*$")
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")


class _Bail(Exception):
    """The document cannot be pre-scanned exactly; parse all of it."""


@dataclass
class ScannedItem:
    """One item as the pre-scan saw it: where it is and what feedparser will report as its GUID and link."""

    start: int
    end: int = -1
    guid: str | None = None
    link: str | None = None  # the single alternate link's href, as feedparser resolves it
    guid_certain: bool = True
    link_certain: bool = True
    # every value feedparser might report when not certain: they count as occupied GUIDs/links
    candidates: list[str] = field(default_factory=list)
    ids: int = 0  # guid/id child elements
    link_elements: int = 0
    rdf_about: str | None = None


def scan(data: bytes) -> list[ScannedItem] | None:
    """Every item of the document with its GUID and link, or None when the document needs the full parse."""
    try:
        return _Scanner(data).run()
    except (_Bail, xml.parsers.expat.ExpatError, ValueError):
        return None


class _Scanner:
    """One expat pass that mirrors the parts of feedparser's state machine that decide GUIDs and links."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.namespace_prefixes = True
        self.parser.buffer_text = True
        self.items: list[ScannedItem] = []
        self.depth = 0
        self.baseuri = ""  # feedparser's current base, replicated (no Content-Location is given to it)
        self.basestack: list[str] = []
        self.namespacemap: dict[str | None, str] = {}
        self.prefixed_uris: set[str] = set()
        self.item: ScannedItem | None = None
        self.item_depth = 0
        self.source_depth = 0  # inside an Atom <source> of the item: its id and links are not the item's
        self.image_depth = 0  # inside an RSS <image> of the item: its link is the image's, not the item's
        self.inimage = False
        self.capture: _Capture | None = None
        self.content_types: list[str | None] = []  # the nearest "type" attribute in scope, per element
        self.risky_div = False
        self.has_base = False
        self.tags: dict[str, tuple[bool, str]] = {}  # cache of _classify, valid until a namespace changes
        # without any (xml:)base attribute feedparser's base stays "": skip the per-element bookkeeping
        lowered = data.lower()  # feedparser lower-cases attribute names: BASE= counts too
        self.track_bases = b"base" in lowered and _BASE_ATTRIBUTE.search(lowered) is not None

    def run(self) -> list[ScannedItem]:
        parser = self.parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartNamespaceDeclHandler = self._namespace
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.SkippedEntityHandler = self._skipped
        parser.Parse(self.data, True)
        if self.risky_div and self.has_base:
            # feedparser leaves its base stack unbalanced around a <div> in escaped (non-XML) content
            raise _Bail
        return self.items

    # --- document-level checks -------------------------------------------------------------------------

    def _doctype(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        if has_internal_subset:  # feedparser rewrites declared entities; do not guess what it keeps
            raise _Bail

    def _entity(self, *args: Any) -> None:
        raise _Bail

    def _skipped(self, name: str, is_parameter_entity: bool) -> None:
        raise _Bail  # an undeclared entity: feedparser's strict parser would fail and fall back

    def _namespace(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        self.tags.clear()
        lower = _canonical_uri(uri)
        if lower in _CANONICAL:
            self.namespacemap[prefix or None] = _CANONICAL[lower]
        elif prefix:
            self.prefixed_uris.add(uri)

    # --- elements --------------------------------------------------------------------------------------

    def _classify(self, name: str) -> tuple[bool, str]:
        """(feedparser sees a core RSS/Atom element, its lower-case local name); see StrictFeedParser."""
        parts = name.split(" ")
        if len(parts) == 1:
            return True, name.lower()
        uri, local = parts[0], parts[1].lower()
        prefix = _CANONICAL.get(_canonical_uri(uri))
        if prefix is None:  # unknown namespace: core only when no prefix was ever declared for it
            return uri not in self.prefixed_uris, local
        return self.namespacemap.get(prefix, prefix) == "", local

    def _start(self, name: str, raw_attrs: dict[str, str]) -> None:
        # called for every element: kept lean, the rare cases are in the methods it calls
        self.depth += 1
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = self._classify(name)
        if self.track_bases:
            attrs = _feedparser_attrs(raw_attrs) if raw_attrs else {}
            self._push_base(attrs)
            self._track_content_type(tag[1], attrs)
        if self.capture is not None:
            self.capture.has_children = True
        elif tag[0] and tag[1] in _ITEM_TAGS:
            self._start_item(_feedparser_attrs(raw_attrs) if raw_attrs else {})
        elif self.item is not None and (tag[1] in _CHILD_TAGS or self.image_depth):
            self._start_child(self.item, tag, raw_attrs)

    def _track_content_type(self, local: str, attrs: dict[str, str]) -> None:
        parent = self.content_types[-1] if self.content_types else None
        if local == "div" and not _is_xml_type(parent):
            self.risky_div = True
        self.content_types.append(attrs.get("type", parent))

    def _push_base(self, attrs: dict[str, str]) -> None:
        # the xml:base tracking of feedparser.mixin.unknown_starttag, in effect verbatim
        if "xml:base" in attrs or "base" in attrs:
            self.has_base = True
        baseuri = attrs.get("xml:base", attrs.get("base")) or self.baseuri
        if baseuri or self.baseuri:  # both empty: feedparser's join yields "" again
            self.baseuri = _next_base(self.baseuri, baseuri)
        self.basestack.append(self.baseuri)

    def _resolve(self, value: str) -> str:
        """feedparser's ``resolve_uri``; with no base it can only change "scheme:///…" (its URI fixer)."""
        if not self.baseuri and ":///" not in value:
            return value
        return _urljoin(self.baseuri or "", value) if value else value

    def _start_item(self, attrs: dict[str, str]) -> None:
        if self.item is not None:
            raise _Bail  # nested items: feedparser splits them in ways not worth mirroring
        item = ScannedItem(start=self.parser.CurrentByteIndex)
        about = attrs.get(self.namespacemap.get("rdf", "rdf") + ":about")
        if about:
            item.rdf_about = about
        for key in ("href", "url", "uri"):  # feedparser turns a CDF href attribute into a link
            if key in attrs:
                item.link_certain = False
                item.candidates += [attrs[key], self._resolve(attrs[key])]
        self.item = item
        self.item_depth = self.depth

    def _start_child(self, item: ScannedItem, tag: tuple[bool, str], raw_attrs: dict[str, str]) -> None:
        plain, local = tag
        direct = self.depth == self.item_depth + 1
        if direct and plain and local == "source":
            self.source_depth = self.depth
        elif direct and plain and local == "image":
            self.image_depth, self.inimage = self.depth, True
        elif self.image_depth and plain and local not in _KEEP_INIMAGE:
            self.inimage = False  # feedparser's "special hack": any other core element ends the image
        if self.source_depth or not plain or (local not in _ID_TAGS and local != "link"):
            return
        if self.image_depth and self.inimage and local == "link":
            return  # feedparser ignores links inside an item's image
        if direct:
            kind = "id" if local in _ID_TAGS else "link"
        else:  # a guid or link below another element: feedparser may still pick it up
            kind = "candidate"
            item.guid_certain = item.guid_certain and local not in _ID_TAGS
            item.link_certain = False
        self.capture = _Capture(kind, self.depth, _feedparser_attrs(raw_attrs) if raw_attrs else {})
        self.parser.CharacterDataHandler = self._text

    def _text(self, text: str) -> None:
        if self.capture is not None:
            self.capture.pieces.append(text)

    def _end(self, name: str) -> None:
        item = self.item
        if item is not None:
            capture = self.capture
            if capture is not None and capture.depth == self.depth:
                self.capture = None
                self.parser.CharacterDataHandler = None
                self._finish_capture(item, capture)
            elif self.source_depth == self.depth:
                self.source_depth = 0
            elif self.image_depth == self.depth:
                self.image_depth, self.inimage = 0, False
            elif self.depth == self.item_depth:
                self._finish_item(item)
        if self.track_bases:
            # feedparser.mixin.unknown_endtag: the base is restored only from a non-empty parent
            self.basestack.pop()
            if self.basestack and self.basestack[-1]:
                self.baseuri = self.basestack[-1]
            self.content_types.pop()
        self.depth -= 1

    def _finish_item(self, item: ScannedItem) -> None:
        index = self.parser.CurrentByteIndex
        item.end = item.start if index == item.start else self.data.index(b">", index) + 1  # <item/>: no cut
        if item.rdf_about is not None:
            if item.ids:  # a guid element overrides rdf:about; not worth mirroring
                item.guid_certain = False
                item.candidates.append(item.rdf_about.strip())
            else:
                item.guid = item.rdf_about.strip() or None
        if item.link_elements != 1:
            item.link_certain = False
        self.items.append(item)
        self.item = None

    def _finish_capture(self, item: ScannedItem, capture: _Capture) -> None:
        raw = "".join(capture.pieces).strip()
        exact = not capture.has_children and _PRINTABLE_ASCII.match(raw) is not None
        if capture.kind == "candidate":
            item.candidates += [raw, self._resolve(raw), *_hrefs(capture.attrs, self._resolve)]
        elif capture.kind == "id":
            self._finish_id(item, raw, capture.attrs, exact)
        else:
            self._finish_link(item, raw, capture.attrs, exact)

    def _finish_id(self, item: ScannedItem, raw: str, attrs: dict[str, str], exact: bool) -> None:
        item.ids += 1
        permalink = attrs.get("ispermalink", "true") == "true"  # feedparser resolves "permalink" GUIDs
        value = self._resolve(raw) if permalink else raw
        if item.ids > 1 or not exact:
            item.guid_certain = False
            item.candidates += [raw, value, *(g for g in [item.guid] if g)]
            item.guid = None
        else:
            item.guid = value or None

    def _finish_link(self, item: ScannedItem, raw: str, attrs: dict[str, str], exact: bool) -> None:
        href = attrs.get("href")
        rel = attrs.get("rel", "alternate")
        kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
        if not links.is_html_alternate(rel, kind) and "url" not in attrs and "uri" not in attrs:
            # not the article link while an HTML alternate exists (xmlfeed.pick_link)
            item.candidates += [raw, self._resolve(raw), *_hrefs(attrs, self._resolve)]
            return
        item.link_elements += 1
        if item.link_elements > 1 or "url" in attrs or "uri" in attrs or (href is None and not exact):
            item.link_certain = False
            item.candidates += [raw, self._resolve(raw), *_hrefs(attrs, self._resolve)]
            item.candidates += [item.link] if item.link else []
        elif href is not None:
            item.link = self._resolve(href) or None
        else:  # RSS <link>text</link>: feedparser also repairs "&amp;" and entity-like query parameters
            link = self._resolve(raw).replace("&amp;", "&")
            item.link = (_ENTITY_LIKE.sub(r"&\g<1>", link) if ";" in link else link) or None


@dataclass
class _Capture:
    """The text of a guid, id or link element of the current item, being collected."""

    kind: str  # "id", "link" or "candidate" (a guid/link feedparser might attribute to the item)
    depth: int
    attrs: dict[str, str]
    pieces: list[str] = field(default_factory=list)
    has_children: bool = False


@functools.lru_cache(maxsize=256)
def _next_base(current: str, declared: str) -> str:
    """feedparser's new base for an element: pure, and the same few values repeat on every element."""
    if current:
        return make_safe_absolute_uri(current, declared) or current
    return str(_urljoin(current, declared))


def _is_xml_type(content_type: str | None) -> bool:
    """feedparser's test for inline XML content (``map_content_type(...).endswith("xml")``)."""
    if content_type is None:
        return False
    lower = content_type.lower()
    return lower == "xhtml" or lower.endswith("xml")


def _canonical_uri(uri: str) -> str:
    lower = uri.lower()
    return _USERLAND if "backend.userland.com/rss" in lower else lower


def _hrefs(attrs: dict[str, str], resolve: Callable[[str], str]) -> list[str]:
    values = [attrs[key] for key in ("href", "url", "uri") if attrs.get(key)]
    return values + [resolve(value) for value in values]


def _feedparser_attrs(attrs: dict[str, str]) -> dict[str, str]:
    """The attribute dict feedparser's strict parser builds: standard-prefixed names, then bare names."""
    result: dict[str, str] = {}
    bare: list[tuple[str, str]] = []
    for name, value in attrs.items():
        parts = name.split(" ")
        if len(parts) == 1:
            result[name.lower()] = value
            bare.append((name, value))
            continue
        prefix = _CANONICAL.get(parts[0].lower(), "")
        result[(f"{prefix}:{parts[1]}" if prefix else parts[1]).lower()] = value
        bare.append((parts[1], value))
    for name, _ in bare:  # AttributesNSImpl.getValueByQName returns the first attribute of that name
        result[name.lower()] = next(value for other, value in bare if other == name)
    return result
