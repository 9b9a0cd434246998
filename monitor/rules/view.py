"""``ArticleView``: one article, read once, shared by every rule evaluated against it.

Each field's text, the lowercase text of all fields, the literals the prefilter found (and where), the
sentence/word layout of the ``text`` field — each computed at most once per article, and the layout only
when some rule asks. ``memo`` lets predicates share work: two rules with the phrase "sanction" search once.
Every copy (``with_enrichment``, ``reading``) shares it, so what one derived from the text the others reuse:
only what depends on the text alone may go in it.

All fields live in one string, ``all_text`` = text, link, feed and tags joined by newlines (``text`` itself
is title, summary and content joined by newlines), so one Aho-Corasick pass covers the article and every
field is a window of it: ``window(field)`` is its (start, length) there.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from monitor.domain import Article, Enrichment, Span
from monitor.rules import text as text_layout

if TYPE_CHECKING:
    from monitor.rules.prefilter import Prefilter

_TEXT_PARTS = ("title", "summary", "content")
_OUTER_PARTS = ("text", "link", "feed", "tags")
_POSITIONS, _LAYOUT = ("view", "positions"), ("view", "layout")  # in ``memo``: shared by every copy


class ArticleView:
    """An article plus its enrichment, with everything rules derive from it computed at most once."""

    def __init__(
        self, article: Article, enrichment: Enrichment | None = None, prefilter: Prefilter | None = None
    ) -> None:
        self.article = article
        self.enrichment = enrichment
        self.memo: dict[Hashable, Any] = {}
        self._texts = {name: article.field_text(name) for name in (*_TEXT_PARTS, *_OUTER_PARTS)}
        self.all_text = "\n".join(self._texts[name] for name in _OUTER_PARTS)
        lowered = self.all_text.lower()
        self.all_lower: str | None = lowered if len(lowered) == len(self.all_text) else None
        """``all_text`` lowercased, or None when lowercasing would move offsets (rare: 'İ' becomes two)."""
        self._windows = self._layout_windows()
        self._occurrences: list[tuple[int, str]] | None = None
        self.found: frozenset[str] | None = None
        """Literals of the rule set present anywhere in the article; None without a prefilter."""
        if prefilter is not None:
            self._occurrences = prefilter.scan(lowered)
            self.found = frozenset(literal for _, literal in self._occurrences)

    def with_enrichment(self, enrichment: Enrichment | None) -> ArticleView:
        """The same article read with another enrichment, sharing everything derived from the text alone
        (fields, prefilter results, layout, phrase matches)."""
        other = copy.copy(self)
        other.enrichment = enrichment
        return other

    def reading(self, article: Article, enrichment: Enrichment | None) -> ArticleView:
        """This view for ``article`` (the same article's text, e.g. with a story id filed since) and
        ``enrichment``: what ``RuleSet.needs`` derived from the text is not derived again by ``evaluate``."""
        if article.id != self.article.id:
            raise ValueError(f"a view of article {self.article.id} cannot read article {article.id}")
        other = self.with_enrichment(enrichment)
        other.article = article
        return other

    def _layout_windows(self) -> dict[str, tuple[int, int]]:
        windows, offset = {}, 0
        for name in _OUTER_PARTS:
            windows[name] = (offset, len(self._texts[name]))
            offset += len(self._texts[name]) + 1
        offset = 0
        for name in _TEXT_PARTS:
            value = self._texts[name]
            windows[name] = (offset, len(value))
            if value:
                offset += len(value) + 1
        return windows

    def text(self, field_name: str) -> str:
        return self._texts[field_name]

    @property
    def positions(self) -> dict[str, list[int]] | None:
        """Where each literal the prefilter knows starts in ``all_lower``; None without a prefilter."""
        if self._occurrences is None:
            return None
        positions: dict[str, list[int]] | None = self.memo.get(_POSITIONS)
        if positions is None:
            positions = self.memo[_POSITIONS] = {}
            for end, literal in self._occurrences:
                positions.setdefault(literal, []).append(end - len(literal) + 1)
        return positions

    def window(self, field_name: str) -> tuple[int, int]:
        """Where ``field_name`` starts in ``all_text``, and its length."""
        return self._windows[field_name]

    def may_contain(self, literals: frozenset[str] | None) -> bool:
        """False only when the prefilter proves that none of ``literals`` occurs in the article."""
        found = self.found
        return found is None or literals is None or not found.isdisjoint(literals)

    @property
    def layout(self) -> text_layout.Layout:
        """Sentences and words of the ``text`` field."""
        found: text_layout.Layout | None = self.memo.get(_LAYOUT)
        if found is None:
            found = self.memo[_LAYOUT] = text_layout.layout(self._texts["text"])
        return found

    def text_offset(self, span: Span) -> int | None:
        """Where ``span`` starts in the ``text`` field (title, summary, content joined), or None."""
        if span.field not in _TEXT_PARTS and span.field != "text":
            return None
        return self._windows[span.field][0] + span.start

    def field_range(self, field_name: str) -> tuple[int, int] | None:
        """The part of the ``text`` field that ``field_name`` covers, for entity and quantity offsets."""
        if field_name not in _TEXT_PARTS and field_name != "text":
            return None
        start, size = self._windows[field_name]
        return (start, start + size)
