"""What an alert template can see: plain dicts, lists and strings built from a Match and its Article.

Templates get copies, never the domain objects, so a template can print only what is listed here (and the
sandbox has nothing else to reach into). Lengths are capped here, once, so every template stays short
enough for a phone notification whatever a feed or a rule produced.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from monitor.alerting.escaping import clip, one_line
from monitor.domain import Article, Match, Span

MAX_TITLE_CHARS = 200
MAX_SPANS = 5
MAX_SPAN_CHARS = 200
MAX_CAPTURES = 5
MAX_CAPTURE_CHARS = 100
MAX_EXPLANATION_LINES = 5
MAX_EXPLANATION_CHARS = 200


def alert_context(match: Match, article: Article) -> dict[str, Any]:
    """The variables of every alert template (documented in the templates' header comments)."""
    return {
        "rule": {
            "id": match.rule_id,
            "title": one_line(match.rule_title),
            "severity": match.severity,
            "tags": list(match.tags),
        },
        "article": {
            "title": clip(one_line(article.title), MAX_TITLE_CHARS) or "(untitled)",
            "link": article.link or "",
            "feed": one_line(article.feed_name),
            "published": _when(article.published_at, article.date_is_fallback),
            "author": one_line(article.author or ""),
        },
        "key": one_line(match.key),
        "matched": _matched(match.spans),
        "captures": [
            {"name": str(name), "value": clip(one_line(_as_text(value)), MAX_CAPTURE_CHARS)}
            for name, value in list(match.captures.items())[:MAX_CAPTURES]
        ],
        "explanation": [
            clip(one_line(line), MAX_EXPLANATION_CHARS) for line in match.explanation[:MAX_EXPLANATION_LINES]
        ],
    }


def _matched(spans: tuple[Span, ...]) -> list[dict[str, str]]:
    """Distinct matched texts in order: a phrase found five times in one field is shown once."""
    seen: set[tuple[str, str]] = set()
    matched: list[dict[str, str]] = []
    for span in spans:
        text = clip(one_line(span.text), MAX_SPAN_CHARS)
        if not text or (span.field, text) in seen:
            continue
        seen.add((span.field, text))
        matched.append({"field": span.field, "text": text})
    return matched[:MAX_SPANS]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(item) for item in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _when(moment: datetime, is_fallback: bool) -> str:
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{text} (first seen; the feed gave no date)" if is_fallback else text


# A match that uses every variable, for checking templates at start-up: an unknown variable or a broken
# filter shows up then, with its file:line, instead of at the first real alert.
_SAMPLE_TIME = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
SAMPLE_ARTICLE = Article(
    id=1,
    feed_id=1,
    feed_name="Sample Wire",
    feed_url="https://example.com/feed.xml",
    identity="sample",
    title="Treasury designates *four* [subsidiaries] of Acme_Oil",
    link="https://example.com/news/acme-(oil)",
    guid="sample",
    summary="The US Treasury designated four subsidiaries of Acme Oil.",
    content="",
    author="A. Reporter",
    published_at=_SAMPLE_TIME,
    fetched_at=_SAMPLE_TIME,
)
SAMPLE_MATCH = Match(
    rule_id="sample-rule",
    rule_title="Sample rule",
    article_id=1,
    key="Acme Oil",
    severity="high",
    tags=("sanctions",),
    captures={"target": "Acme Oil", "figures": [4, 5]},
    spans=(Span(field="title", start=0, end=20, text="Treasury designates"),),
    explanation=("action: matched 'designate' in title", "target: ORG 'Acme Oil' in the same sentence"),
)
