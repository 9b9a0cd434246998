"""What an alert template can see: plain dicts, lists and strings built from a match, its article and story.

Templates get copies, never the domain objects, so a template can print only what is listed here (and the
sandbox has nothing else to reach into). Lengths are capped here, once, so every template stays short
enough for a phone notification whatever a feed or a rule produced. The same dict, stored as JSON with a
held alert, is one item of a digest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.alerting import facts
from monitor.alerting.escaping import clip, one_line
from monitor.domain import Article, Match, Span

MAX_TITLE_CHARS = 200
MAX_SPANS = 5
MAX_SPAN_CHARS = 200
MAX_CAPTURES = 5
MAX_CAPTURE_CHARS = 100
MAX_EXPLANATION_LINES = 6  # the first ones (the selections) and the last one (the rule's memory: why now)
MAX_EXPLANATION_CHARS = 160
ALERT = "alert"
UPDATE = "update"


@dataclass(frozen=True)
class StorySource:
    """One article of the alert's story: where the news was reported, and when."""

    article_id: int
    title: str
    link: str | None
    feed: str
    published_at: datetime
    date_is_fallback: bool = False


@dataclass(frozen=True)
class AlertContent:
    """Everything one notification is about: the match, the article that caused it, and its story.

    ``kind`` is "alert" (the story's first notification for this rule, key and subscriber) or "update" (a
    later source reports a new fact); ``previous`` is the fact the subscriber was told before an update.
    ``sources`` are the story's articles so far, oldest first; ``more_sources`` counts those left out.
    """

    match: Match
    article: Article
    sources: tuple[StorySource, ...] = ()
    more_sources: int = 0
    kind: str = ALERT
    previous: Mapping[str, Any] | None = None


def alert_context(content: AlertContent) -> dict[str, Any]:
    """The variables of every alert template (documented in the header of alert.txt.j2)."""
    match, article = content.match, content.article
    sources = content.sources or (source_of(article),)
    what = one_line(facts.what_happened(match.captures))
    changed = facts.what_changed(facts.fact_of(match), content.previous)
    return {
        "kind": content.kind,
        "rule": {
            "id": match.rule_id,
            "title": one_line(match.rule_title),
            "severity": match.severity,
            "tags": list(match.tags),
        },
        "what": what,
        "changed": "" if changed in what else changed,  # only when the rule's own "from" says otherwise
        "article": _article(article),
        "key": one_line(match.key),
        "sources": [_source(source, source.article_id == article.id) for source in sources],
        "more_sources": content.more_sources,
        "matched": _matched(match.spans),
        "captures": [
            {"name": str(name), "value": clip(one_line(_as_text(value)), MAX_CAPTURE_CHARS)}
            for name, value in list(match.captures.items())[:MAX_CAPTURES]
        ],
        "explanation": [clip(one_line(line), MAX_EXPLANATION_CHARS) for line in _explanation(match)],
    }


def digest_context(subscriber: str, reason: str, items: list[dict[str, Any]], zone: str) -> dict[str, Any]:
    """The variables of the digest templates: the held alerts' contexts, oldest first, and why they waited."""
    return {"subscriber": subscriber, "reason": reason, "count": len(items), "items": items, "timezone": zone}


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": clip(one_line(article.title), MAX_TITLE_CHARS) or "(untitled)",
        "link": article.link or "",
        "feed": one_line(article.feed_name),
        "published": when(article.published_at, article.date_is_fallback),
        "author": one_line(article.author or ""),
    }


def source_of(article: Article) -> StorySource:
    return StorySource(
        article.id,
        article.title,
        article.link,
        article.feed_name,
        article.published_at,
        article.date_is_fallback,
    )


def _source(source: StorySource, is_this: bool) -> dict[str, Any]:
    return {
        "title": clip(one_line(source.title), MAX_TITLE_CHARS) or "(untitled)",
        "link": source.link or "",
        "feed": one_line(source.feed),
        "published": when(source.published_at, source.date_is_fallback),
        "is_this": is_this,
    }


def _explanation(match: Match) -> tuple[str, ...]:
    lines = match.explanation
    if len(lines) <= MAX_EXPLANATION_LINES:
        return lines
    return (*lines[: MAX_EXPLANATION_LINES - 2], "…", lines[-1])


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


def when(moment: datetime, is_fallback: bool = False) -> str:
    """A time as alerts print it: UTC, to the minute, saying so when the feed gave no date."""
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
    title="Treasury designates *four* [subsidiaries] of <Acme_Oil>",
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
    captures={"target": "Acme Oil", "state": "cancelled", "from": "planned", "to": "cancelled"},
    spans=(Span(field="title", start=0, end=20, text="Treasury designates"),),
    explanation=("action: matched 'designate' in title", "target: ORG 'Acme Oil' in the same sentence"),
)
SAMPLE_CONTENT = AlertContent(
    SAMPLE_MATCH,
    SAMPLE_ARTICLE,
    sources=(
        StorySource(2, "An earlier report", None, "Other Wire", _SAMPLE_TIME, True),
        source_of(SAMPLE_ARTICLE),
    ),
    more_sources=1,
    kind=UPDATE,
    previous={"state": "planned"},
)


def sample_digest() -> dict[str, Any]:
    """A digest of two sample alerts, for checking the digest templates at start-up."""
    item = alert_context(SAMPLE_CONTENT)
    return digest_context("sample", "digest", [item, {**item, "kind": ALERT}], "Europe/Berlin")
