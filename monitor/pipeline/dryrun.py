"""``newsmon match``: run rules over feed files, URLs or article files; nothing is stored or sent.

The same parse and evaluate code as the daemon, so what a dry run shows is what the daemon would alert on
(stateful rule kinds aside, which need history: ``newsmon backtest`` is for those).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import fetching, parsing, rules
from monitor.domain import Article, Entry, Match
from monitor.errors import MonitorError, ParseError
from monitor.settings import HttpSettings

if TYPE_CHECKING:
    from monitor.enrichment import Enricher

_ARTICLE_SUFFIXES = (".txt", ".md", ".text")
_REMOTE = ("http://", "https://", "file:")


@dataclass(frozen=True)
class DryRunItem:
    """One source's outcome: its matches, or the error that stopped it (other sources go on)."""

    source: str
    article: Article | None = None
    match: Match | None = None
    error: str | None = None


async def dry_run(
    sources: Sequence[str],
    ruleset: rules.RuleSet,
    http: HttpSettings,
    now: datetime,
    enricher: Enricher | None = None,
    *,
    memory: bool = True,
) -> list[DryRunItem]:
    """Every (article, rule) match over ``sources``, in publication order, with one shared rule memory.

    Stateful rules (state changes, new terms, windows) see the articles of this run only: the first
    article about a summit sets its state, a later one may change it — and a ``new_term`` or ``realert``
    rule stays silent on a later article the same way. ``memory=False`` evaluates each article alone
    (no gates run: every rule that holds is shown).
    """
    articles, items = await load_articles(sources, http, now)
    enrichments = enricher.enrich([a for _, a in articles]) if enricher else [None] * len(articles)
    store = rules.MemoryStore() if memory else None
    for (source, article), enrichment in zip(articles, enrichments, strict=True):
        evaluation = ruleset.evaluate(article, enrichment, store, article.published_at)
        if store is not None:
            store.apply(evaluation)
        items.extend(DryRunItem(source, article, match) for match in evaluation.matches)
    return items


@dataclass(frozen=True)
class WhyItem:
    """One article's verdict for the rule ``newsmon match --why`` asks about, or a source's error."""

    source: str
    article: Article | None = None
    why: rules.Why | None = None
    error: str | None = None


async def explain_sources(
    sources: Sequence[str],
    ruleset: rules.RuleSet,
    rule_id: str,
    http: HttpSettings,
    now: datetime,
    enricher: Enricher | None = None,
) -> list[WhyItem]:
    """Why ``rule_id`` alerts, is held back, or does not hold for each article, in the order ``dry_run`` sees
    them and with the memory it would have at that point (earlier articles of the run may hold it back)."""
    if ruleset.get(rule_id) is None:
        raise MonitorError(f"no such rule: '{rule_id}' (loaded: {', '.join(ruleset.ids)})")
    articles, errors = await load_articles(sources, http, now)
    items = [WhyItem(item.source, error=item.error) for item in errors]
    enrichments = enricher.enrich([a for _, a in articles]) if enricher else [None] * len(articles)
    memory = rules.MemoryStore()
    for (source, article), enrichment in zip(articles, enrichments, strict=True):
        why = rules.explain(ruleset, rule_id, article, enrichment, memory, article.published_at)
        items.append(WhyItem(source, article, why))
        memory.apply(ruleset.evaluate(article, enrichment, memory, article.published_at))
    return items


async def load_articles(
    sources: Sequence[str], http: HttpSettings, now: datetime
) -> tuple[list[tuple[str, Article]], list[DryRunItem]]:
    """Every article of ``sources`` in publication order (with its source), and the sources that failed."""
    ids = itertools.count(1)
    failed: list[DryRunItem] = []
    articles: list[tuple[str, Article]] = []
    for source in _expand(sources):
        try:
            entries = await _entries(source, http, now)
        except MonitorError as exc:
            failed.append(DryRunItem(source, error=str(exc)))
            continue
        except OSError as exc:  # unreadable file: say which and go on with the others
            failed.append(DryRunItem(source, error=f"{source}: cannot read: {exc.strerror or exc}"))
            continue
        except Exception as exc:  # hostile input the parser did not foresee: one source fails, not the run
            failed.append(DryRunItem(source, error=f"{source}: cannot parse: {type(exc).__name__}: {exc}"))
            continue
        articles.extend((source, article_from_entry(entry, name, next(ids), now)) for name, entry in entries)
    articles.sort(key=lambda pair: (pair[1].published_at, pair[1].id))
    return articles, failed


async def _entries(source: str, http: HttpSettings, now: datetime) -> list[tuple[str, Entry]]:
    if source.startswith(_REMOTE):
        result = await fetching.fetch_once(source, limits_from(http), now)
        assert result.body is not None
        parsed = parsing.parse_feed(
            result.body,
            url=result.final_url,
            fetched_at=now,
            content_type=result.content_type,
            max_bytes=http.max_body_bytes,
        )
        return [(parsed.feed_title or source, entry) for entry in parsed.entries]
    path = Path(source)
    if not path.exists():
        raise MonitorError(f"{source}: no such file, directory or URL")
    if not path.is_file():  # a FIFO or a device would block the read forever
        raise MonitorError(f"{source}: not a regular file")
    if path.suffix.lower() in _ARTICLE_SUFFIXES:
        return [(path.name, parsing.parse_article_file(path, now))]
    try:
        parsed = parsing.parse_feed(
            path.read_bytes(), url=path.resolve().as_uri(), fetched_at=now, max_bytes=http.max_body_bytes
        )
    except ParseError:
        if path.suffix.lower() != ".json":
            raise
        return [(path.name, parsing.parse_article_file(path, now))]  # a JSON article, not a JSON Feed
    return [(parsed.feed_title or path.name, entry) for entry in parsed.entries]


def _expand(sources: Sequence[str]) -> list[str]:
    """Each folder replaced by its files (sorted), so one bad file is reported and the rest still read."""
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if not source.startswith(_REMOTE) and path.is_dir():
            expanded.extend(str(child) for child in sorted(_files(path)))
        else:
            expanded.append(source)
    return expanded


def _files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if not p.is_dir() and not p.name.startswith("."))


def article_from_entry(entry: Entry, feed_name: str, article_id: int, now: datetime) -> Article:
    """An unstored entry as the article rules see (dry runs, previews)."""
    return Article(
        id=article_id,
        feed_id=0,
        feed_name=feed_name,
        feed_url="",
        identity=entry.identity,
        title=entry.title,
        link=entry.link,
        guid=entry.guid,
        summary=entry.summary,
        content=entry.content,
        author=entry.author,
        published_at=entry.published_at or now,
        fetched_at=now,
        date_is_fallback=entry.date_is_fallback,
        language=entry.language,
        tags=entry.tags,
    )


def limits_from(http: HttpSettings) -> fetching.FetchLimits:
    """The fetch limits a config's ``http:`` section asks for."""
    return fetching.FetchLimits(
        user_agent=http.user_agent,
        timeout_s=http.timeout_s,
        connect_timeout_s=http.connect_timeout_s,
        max_body_bytes=http.max_body_bytes,
        max_redirects=http.max_redirects,
        per_host_concurrency=http.per_host_concurrency,
        total_concurrency=http.total_concurrency,
        allow_private=http.allow_private,
    )


def default_http() -> HttpSettings:
    """HTTP limits for a dry run without a config file."""
    return HttpSettings()


def dry_run_json(item: DryRunItem) -> dict[str, object]:
    """The ``--json`` line of one match: rule, article, key, captures, explanation."""
    assert item.article is not None and item.match is not None
    article, match = item.article, item.match
    return {
        "rule": match.rule_id,
        "title": match.rule_title,
        "severity": match.severity,
        "key": match.key,
        "source": item.source,
        "article": {
            "title": article.title,
            "link": article.link,
            "guid": article.guid,
            "published": article.published_at.isoformat(),
            "feed": article.feed_name,
        },
        "captures": dict(match.captures),
        "spans": [{"field": s.field, "start": s.start, "end": s.end, "text": s.text} for s in match.spans],
        "explanation": list(match.explanation),
    }


def why_text(item: WhyItem) -> str:
    """The verdict on one article, the line that decided it, then the whole account."""
    assert item.article is not None and item.why is not None
    why = item.why
    lines = [f"{why.rule_id} {why.verdict}: {item.article.title or item.article.guid or item.source}"]
    if item.article.link:
        lines.append(f"    link: {item.article.link}")
    if not why.alerts:
        lines.append(f"    because: {why.reason}")
    lines.extend(f"    why: {line}" for line in why.lines)
    return "\n".join(lines)


def dry_run_text(item: DryRunItem) -> str:
    """A few readable lines per match: which rule, which article, and why."""
    assert item.article is not None and item.match is not None
    article, match = item.article, item.match
    lines = [f"{match.rule_id} [{match.severity}] matched: {article.title}"]
    if article.link:
        lines.append(f"    link: {article.link}")
    if match.key:
        lines.append(f"    key: {match.key}")
    lines.extend(f"    why: {line}" for line in match.explanation)
    return "\n".join(lines)
