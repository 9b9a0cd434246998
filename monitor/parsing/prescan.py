"""Drop already-stored items from a feed document before feedparser parses it.

A news feed polled every few minutes repeats most of its items: 50 of 55 are already stored. feedparser plus
our HTML-to-text costs about half a millisecond per news item; one expat pass that only reads GUIDs and links
(``itemscan``) costs about a twentieth of that. So we cut the byte ranges of items whose identity is already
known and let feedparser parse what is left: the channel and the new items.

The result must equal a full parse filtered afterwards, so ``itemscan`` mirrors what feedparser does to a GUID
or a link (``xml:base`` tracking, the permalink rule, namespace mapping) and an item is only removed when it
is *certain*:

* the item's identity is decided at the first step of the chain (``identity.py``): a GUID unique in the
  document, or, for a GUID-less item, a link unique among GUID-less items;
* that GUID or link comes from exactly one plain child element, with ASCII text and no child markup.

Anything else (several ``guid`` elements, a GUID inside an unknown element, odd entities, nested items, a
document expat cannot read, a DTD that declares entities) keeps the item, or the whole document, for the full
parse; the caller filters known identities again afterwards, so being careful costs time, never correctness.
Cuts are made in the UTF-8 bytes that ``feedparser.encodings.convert_to_utf8`` produced, which is what
feedparser itself parses, so the character decoding of the remaining items cannot change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

from monitor.parsing import identity, links
from monitor.parsing.itemscan import ScannedItem, scan


@dataclass(frozen=True)
class Pruned:
    """The document without the known items, and how many items it had and lost."""

    data: bytes
    items_seen: int
    removed: int


def prune_known(data: bytes, *, base_url: str, known: Container[str]) -> Pruned | None:
    """``data`` (UTF-8, from ``xmlfeed.to_utf8``) without the items known by identity; None: cannot tell."""
    items = scan(data)
    if items is None:
        return None
    guids: Counter[str] = Counter()
    item_links: Counter[str] = Counter()
    for item in items:
        if item.guid_certain and item.guid:
            guids[item.guid] += 1
        elif item.guid_certain and item.link_certain and (link := links.canonical_link(item.link, base_url)):
            item_links[link] += 1
        else:  # an uncertain item occupies every GUID and link it might turn out to have
            for value in (*item.candidates, item.guid, item.link):
                if value:
                    guids[value] += 2
                    item_links[links.canonical_link(value, base_url) or ""] += 2
    cuts = [item for item in items if _is_known(item, guids, item_links, base_url, known)]
    if not cuts:
        return Pruned(data, len(items), 0)
    pieces, position = [], 0
    for item in cuts:
        pieces.append(data[position : item.start])
        position = item.end
    pieces.append(data[position:])
    return Pruned(b"".join(pieces), len(items), len(cuts))


def _is_known(
    item: ScannedItem, guids: Counter[str], item_links: Counter[str], base_url: str, known: Container[str]
) -> bool:
    if not item.guid_certain or item.end <= item.start:
        return False
    if item.guid:
        return guids[item.guid] == 1 and identity.guid_identity(item.guid) in known
    if not item.link_certain or not item.link:
        return False
    link = links.canonical_link(item.link, base_url)
    return link is not None and item_links[link] == 1 and identity.link_identity(link) in known
