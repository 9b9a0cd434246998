"""Hand-built enrichment for rule tests: entities and figures placed where their text is in the article.

Rules read only ``monitor.domain.Enrichment``; building it by hand keeps these tests fast and exact, and
leaves the spaCy model to the few tests that check the bundled rules end to end.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.domain import Article, Enrichment, EntitySpan, Quantity
from monitor.rules import article_from_text


@dataclass(frozen=True)
class Ent:
    text: str
    label: str = "ORG"
    canonical: str | None = None
    watchlist: str | None = None
    nth: int = 0  # which occurrence of ``text``


@dataclass(frozen=True)
class Fig:
    text: str
    value: float
    unit: str = "barrels_per_day"
    governors: tuple[str, ...] = ()


def _at(article: Article, text: str, nth: int = 0) -> int:
    full = article.field_text("text")
    start = -1
    for _ in range(nth + 1):
        start = full.index(text, start + 1)
    return start


def enrich(article: Article, *items: Ent | Fig) -> Enrichment:
    """An ``Enrichment`` for ``article`` with these entities and figures (offsets found in its text)."""
    entities, quantities = [], []
    for item in items:
        if isinstance(item, Ent):
            start = _at(article, item.text, item.nth)
            entities.append(
                EntitySpan(
                    item.text, item.label, start, start + len(item.text), 0, item.canonical, item.watchlist
                )
            )
        else:
            start = _at(article, item.text)
            quantities.append(
                Quantity(item.text, item.value, item.unit, start, start + len(item.text), 0, item.governors)
            )
    return Enrichment(article.id, tuple(entities), tuple(quantities))


def enriched_article(text: str, *items: Ent | Fig, **fields: object) -> tuple[Article, Enrichment]:
    article = article_from_text(text, **fields)  # type: ignore[arg-type]
    return article, enrich(article, *items)
