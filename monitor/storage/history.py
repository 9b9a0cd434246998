"""Reading stored history back: articles with their enrichment, oldest first, for ``newsmon backtest``.

Articles are read in pages by keyset (publication time, id), each page in its own short read transaction,
so a backtest over months never holds one transaction (or all rows) for its whole run. Enrichment comes
back as the ``Enrichment`` value it was saved from; an article stored while enrichment was off has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from monitor.domain import Article, Enrichment, EntitySpan, Quantity
from monitor.storage.articles import article_from_row
from monitor.storage.database import Database
from monitor.storage.tables import articles, enrichments, feeds

PAGE_SIZE = 500


def iter_articles(
    db: Database, since: datetime | None = None, until: datetime | None = None, page_size: int = PAGE_SIZE
) -> Iterator[tuple[Article, Enrichment | None]]:
    """Every stored article published in ``[since, until)``, oldest first (ties by id), with its enrichment."""
    after: tuple[datetime, int] | None = None
    while True:
        with db.read() as conn:
            rows = conn.execute(_page(since, until, after, page_size)).all()
        for row in rows:
            yield article_from_row(row), _enrichment(row)
        if len(rows) < page_size:
            return
        after = (rows[-1].published_at, rows[-1].id)


def _page(
    since: datetime | None, until: datetime | None, after: tuple[datetime, int] | None, size: int
) -> sa.Select[Any]:
    query = (
        sa.select(
            articles,
            feeds.c.name.label("feed_name"),
            feeds.c.url.label("feed_url"),
            feeds.c.tags.label("feed_tags"),
            enrichments.c.article_id.label("enriched"),
            enrichments.c.entities,
            enrichments.c.quantities,
            enrichments.c.fingerprint,
        )
        .join(feeds, feeds.c.id == articles.c.feed_id)
        .outerjoin(enrichments, enrichments.c.article_id == articles.c.id)
        .order_by(articles.c.published_at, articles.c.id)
        .limit(size)
    )
    if since is not None:
        query = query.where(articles.c.published_at >= since)
    if until is not None:
        query = query.where(articles.c.published_at < until)
    if after is not None:
        published, article_id = after
        query = query.where(
            sa.or_(
                articles.c.published_at > published,
                sa.and_(articles.c.published_at == published, articles.c.id > article_id),
            )
        )
    return query


def _enrichment(row: sa.Row[Any]) -> Enrichment | None:
    if row.enriched is None:
        return None
    return Enrichment(
        article_id=row.id,
        entities=tuple(EntitySpan(**entity) for entity in row.entities),
        quantities=tuple(
            Quantity(**{**quantity, "governors": tuple(quantity.get("governors", ()))})
            for quantity in row.quantities
        ),
        story_fingerprint=row.fingerprint,
    )
