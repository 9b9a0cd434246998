"""Stories: which stored articles report the same news. Enrichment decides; storage keeps the decision.

A story is named after its first article (its id is that article's id), so deciding a story never needs a
round trip to allocate an id, and two workers that start the same story from different articles simply
create two stories (a miss, never a false merge).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from monitor.storage.database import Database
from monitor.storage.tables import articles, enrichments, stories


@dataclass(frozen=True)
class StoryRow:
    """A recent article that already has a story: a candidate for the next articles to join."""

    article_id: int
    story_id: int
    signature: str  # enrichment's story signature, as JSON
    fetched_at: datetime


def story_candidates(
    db: Database, since: datetime, after_article_id: int = 0, limit: int = 50_000
) -> list[StoryRow]:
    """Articles fetched since ``since`` with a story and a signature, newer than ``after_article_id``."""
    query = (
        sa.select(articles.c.id, articles.c.story_id, enrichments.c.fingerprint, articles.c.fetched_at)
        .join(enrichments, enrichments.c.article_id == articles.c.id)
        .where(
            articles.c.story_id.is_not(None),
            enrichments.c.fingerprint.is_not(None),
            articles.c.fetched_at >= since,
            articles.c.id > after_article_id,
        )
        .order_by(articles.c.id)
        .limit(limit)
    )
    with db.read() as conn:
        return [StoryRow(*row) for row in conn.execute(query)]


def save_story_membership(
    conn: sa.Connection, article_id: int, story_id: int, is_new: bool, signature: str | None, now: datetime
) -> None:
    """Inside transaction 2: create the story when it is new, then file the article under it."""
    if is_new:
        fingerprint = hashlib.sha256((signature or str(article_id)).encode()).hexdigest()[:32]
        conn.execute(
            sa.insert(stories).values(
                id=story_id, fingerprint=fingerprint, first_seen_at=now, sources=[article_id]
            )
        )
    else:
        current = conn.execute(sa.select(stories.c.sources).where(stories.c.id == story_id)).scalar()
        if current is not None and article_id not in current:
            conn.execute(
                sa.update(stories).where(stories.c.id == story_id).values(sources=[*current, article_id])
            )
    conn.execute(sa.update(articles).where(articles.c.id == article_id).values(story_id=story_id))
