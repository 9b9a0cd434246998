"""Entry identities: a stable hash that is unique within one document.

The identity decides whether an item is new, so it must not change between polls of an unchanged item and
must not merge two different items. Publishers break both ways: many news feeds have no GUID at all, some
repeat a GUID for different items, some share one link across a whole podcast. So the identity walks a chain
and takes the first key that is unique within the document:

1. ``guid``              the item's GUID (RSS ``guid``, Atom ``id``, RDF ``rdf:about``, JSON Feed ``id``),
                         when no other item of the document has the same GUID;
2. ``guid+link``         when two items share a GUID, the GUID plus the canonical link;
3. ``guid+link+text``    when they share both, plus the title and text as well;
4. ``link``              an item without GUID: its canonical link, when no other GUID-less item has it;
5. ``link+text``         GUID-less items sharing a link: the link plus title and text;
6. ``text``              neither GUID nor link: title plus text.

Exact duplicates (same key at their last step) are numbered 2, 3… in document order, so identities are
unique within every document. The identity is the SHA-256 (hex) of a version tag, the step name and its
parts, joined by a separator that cannot occur in feed text; the step name keeps a GUID that happens to equal
another item's link from colliding with it.

The GUID is used as feedparser reports it (resolved against the document's own ``xml:base`` when the feed
says it is a permalink; feedparser lets an item's ``xml:base`` leak to the following items when the feed has
none) but never against the URL the feed was fetched from, so a feed that moves keeps its identities.
Only GUID- and link-level identities can be computed without parsing the item's text, which is what the
pre-scan (``prescan.py``) relies on to drop known items before the full parse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from hashlib import sha256

_VERSION = "newsmon-identity-1"
_SEP = "\x1f"  # ASCII unit separator: never part of feed text after normalisation


@dataclass(frozen=True)
class IdentityKey:
    """What an entry's identity is computed from; ``text`` is title plus summary plus content."""

    guid: str | None
    link: str | None
    title: str
    text: str


def digest(step: str, *parts: str) -> str:
    """The identity hash of one step of the chain."""
    return sha256(_SEP.join((_VERSION, step, *parts)).encode("utf-8")).hexdigest()


def guid_identity(guid: str) -> str:
    """Identity of an item whose GUID is unique in its document."""
    return digest("guid", guid)


def link_identity(link: str) -> str:
    """Identity of a GUID-less item whose canonical link is unique in its document."""
    return digest("link", link)


def assign_identities(keys: Sequence[IdentityKey]) -> list[str]:
    """The identities of the entries of one document, in the same order, all distinct (see module doc)."""
    guids = Counter(key.guid for key in keys if key.guid)
    guid_links = Counter((key.guid, key.link) for key in keys if key.guid and guids[key.guid] > 1)
    links = Counter(key.link for key in keys if not key.guid and key.link)
    identities = [_first_unique_step(key, guids, guid_links, links) for key in keys]
    return _number_duplicates(identities)


def _first_unique_step(
    key: IdentityKey,
    guids: Counter[str],
    guid_links: Counter[tuple[str, str | None]],
    links: Counter[str],
) -> str:
    link = key.link or ""
    if key.guid:
        if guids[key.guid] == 1:
            return guid_identity(key.guid)
        if key.link and guid_links[(key.guid, key.link)] == 1:
            return digest("guid+link", key.guid, link)
        return digest("guid+link+text", key.guid, link, key.title, key.text)
    if key.link:
        if links[key.link] == 1:
            return link_identity(key.link)
        return digest("link+text", key.link, key.title, key.text)
    return digest("text", key.title, key.text)


def _number_duplicates(identities: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    numbered = []
    for identity in identities:
        seen[identity] += 1
        numbered.append(
            identity if seen[identity] == 1 else digest("duplicate", identity, str(seen[identity]))
        )
    return numbered
