"""From format-specific items to ``Entry``: phantom filtering, date fallback, identities, known items.

Every format reader (``xmlfeed``, ``jsonfeed``) produces ``Draft``s with plain text, absolute links and UTC
dates; this module applies the rules that do not depend on the format, in one place, so an RSS item and a
JSON Feed item with the same content become the same ``Entry``.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.domain import Entry
from monitor.parsing import identity


@dataclass(frozen=True)
class Draft:
    """One item in normalised form, before it has an identity."""

    guid: str | None
    link: str | None
    title: str
    summary: str = ""
    content: str = ""
    author: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def is_phantom(self) -> bool:
        """No title, link, GUID or text: nothing a person or a rule could use (e.g. a stray ``<item/>``)."""
        return not (self.title or self.link or self.guid or self.summary or self.content)

    def identity_key(self) -> identity.IdentityKey:
        return identity.IdentityKey(self.guid, self.link, self.title, f"{self.summary}\n{self.content}")


@dataclass(frozen=True)
class Finalised:
    entries: tuple[Entry, ...]
    skipped_empty: int
    skipped_known: int


def finalise(drafts: Sequence[Draft], *, fetched_at: datetime, known: Container[str]) -> Finalised:
    """Entries for the real, not yet stored drafts, in document order."""
    real = [draft for draft in drafts if not draft.is_phantom]
    identities = identity.assign_identities([draft.identity_key() for draft in real])
    entries = tuple(
        _entry(draft, ident, fetched_at)
        for draft, ident in zip(real, identities, strict=True)
        if ident not in known
    )
    return Finalised(entries, len(drafts) - len(real), len(real) - len(entries))


def _entry(draft: Draft, ident: str, fetched_at: datetime) -> Entry:
    published = draft.published_at or draft.updated_at
    return Entry(
        identity=ident,
        title=draft.title,
        link=draft.link,
        guid=draft.guid,
        summary=draft.summary,
        content=draft.content,
        author=draft.author,
        published_at=published or fetched_at,
        updated_at=draft.updated_at,
        date_is_fallback=published is None,
        language=draft.language,
        tags=draft.tags,
    )


def normalise_language(value: object) -> str | None:
    """``en_US`` / ``EN-us`` → ``en-us``; None for anything empty."""
    if not isinstance(value, str):
        return None
    value = value.strip().replace("_", "-").lower()
    return value or None


def unique_tags(values: Sequence[object]) -> tuple[str, ...]:
    """Non-empty tag strings, trimmed, first occurrence kept."""
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            seen.setdefault(" ".join(value.split()), None)
    return tuple(seen)
