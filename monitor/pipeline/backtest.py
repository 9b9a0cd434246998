"""``newsmon backtest``: what rules would have alerted on over stored history, and what an edit changes.

Stored articles are replayed oldest first (by publication time) with their stored enrichment, through the
rules with a fresh in-memory ``MemoryStore``, each evaluated as of its publication time — so state,
new-term, change, window and throttle rules behave as they would have, and ``flatline`` silences are
checked at each article's time and at the end. Nothing is written: not matches, not memory, not alerts.

``compare(new, old)`` is the diff an edit makes: alerts the new rules add and alerts they no longer send,
an alert being identified by (rule, article, key) as in the matches table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor import rules, storage
from monitor.domain import Article, Match


@dataclass(frozen=True)
class BacktestAlert:
    """One alert a replay sent: the rule, what it is about, and the article it fired on."""

    rule_id: str
    key: str
    article_id: int
    article_title: str
    published_at: datetime
    captures: Mapping[str, Any]
    explanation: tuple[str, ...]

    @property
    def identity(self) -> tuple[str, int, str]:
        return (self.rule_id, self.article_id, self.key)


@dataclass(frozen=True)
class BacktestResult:
    alerts: tuple[BacktestAlert, ...]
    articles: int  # replayed
    unenriched: int  # of which had no stored enrichment (entity and quantity predicates never hold there)
    held_back: int  # matches memory kept quiet (seen term, unchanged state, throttled, ...)


@dataclass(frozen=True)
class BacktestDiff:
    added: tuple[BacktestAlert, ...]
    removed: tuple[BacktestAlert, ...]
    unchanged: int


def backtest(
    db: storage.Database, ruleset: rules.RuleSet, since: datetime | None, until: datetime
) -> BacktestResult:
    """Replay the articles published in ``[since, until)`` through ``ruleset``."""
    memory = rules.MemoryStore()
    alerts: list[BacktestAlert] = []
    seen: dict[int, Article] = {}
    articles = unenriched = held_back = 0
    for article, enrichment in storage.iter_articles(db, since, until):
        alerts.extend(_silences(ruleset, memory, article.published_at, seen))
        evaluation = ruleset.evaluate(article, enrichment, memory, article.published_at)
        memory.apply(evaluation)
        seen[article.id] = article
        alerts.extend(_alert(match, article) for match in evaluation.matches)
        articles += 1
        unenriched += enrichment is None
        held_back += len(evaluation.suppressed)
    alerts.extend(_silences(ruleset, memory, until, seen))
    return BacktestResult(tuple(alerts), articles, unenriched, held_back)


def _silences(
    ruleset: rules.RuleSet, memory: rules.MemoryStore, now: datetime, seen: Mapping[int, Article]
) -> list[BacktestAlert]:
    evaluation = ruleset.check_flatlines(memory, now)
    memory.apply(evaluation)
    return [
        _alert(match, seen[match.article_id], now) for match in evaluation.matches if match.article_id in seen
    ]


def _alert(match: Match, article: Article, at: datetime | None = None) -> BacktestAlert:
    return BacktestAlert(
        rule_id=match.rule_id,
        key=match.key,
        article_id=article.id,
        article_title=article.title,
        published_at=at or article.published_at,
        captures=match.captures,
        explanation=match.explanation,
    )


def compare(new: BacktestResult, old: BacktestResult) -> BacktestDiff:
    """Alerts ``new`` sends that ``old`` did not, and the other way round, in time order."""
    old_ids = {alert.identity for alert in old.alerts}
    new_ids = {alert.identity for alert in new.alerts}
    added = tuple(alert for alert in new.alerts if alert.identity not in old_ids)
    removed = tuple(alert for alert in old.alerts if alert.identity not in new_ids)
    return BacktestDiff(added, removed, len(new_ids & old_ids))


def alert_line(alert: BacktestAlert, mark: str = "") -> str:
    """``2025-10-23 08:00  summit-status  [Donald Trump, Vladimir Putin]  #3 Trump cancels …``"""
    key = f"  [{alert.key}]" if alert.key else ""
    when = alert.published_at.strftime("%Y-%m-%d %H:%M")
    return f"{mark}{when}  {alert.rule_id}{key}  #{alert.article_id} {alert.article_title}"


def result_text(result: BacktestResult, verbose: bool = False) -> str:
    """The alerts, one line each (and why, with ``verbose``), then a summary line."""
    lines = []
    for alert in result.alerts:
        lines.append(alert_line(alert))
        if verbose:
            lines.extend(f"    why: {line}" for line in alert.explanation)
    lines.append(_summary(result))
    return "\n".join(lines)


def diff_text(diff: BacktestDiff, new: BacktestResult) -> str:
    """``+`` for alerts the edit adds, ``-`` for alerts it removes, then a summary line."""
    ordered = sorted(
        [("+ ", alert) for alert in diff.added] + [("- ", alert) for alert in diff.removed],
        key=lambda item: (item[1].published_at, item[1].article_id, item[1].rule_id),
    )
    lines = [alert_line(alert, mark) for mark, alert in ordered]
    lines.append(
        f"{len(diff.added)} added, {len(diff.removed)} removed, {diff.unchanged} unchanged; {_summary(new)}"
    )
    return "\n".join(lines)


def _summary(result: BacktestResult) -> str:
    text = f"{len(result.alerts)} alert(s) from {result.articles} article(s), {result.held_back} held back by memory"
    if result.unenriched:
        text += f"; {result.unenriched} article(s) without stored enrichment"
    return text


def alert_json(alert: BacktestAlert, change: str | None = None) -> dict[str, Any]:
    """The ``--json`` line of one alert (``change``: "added" or "removed" in a diff)."""
    found: dict[str, Any] = {
        "rule": alert.rule_id,
        "key": alert.key,
        "article": alert.article_id,
        "title": alert.article_title,
        "published": alert.published_at.isoformat(),
        "captures": dict(alert.captures),
        "explanation": list(alert.explanation),
    }
    if change is not None:
        found["change"] = change
    return found


def diff_json(diff: BacktestDiff) -> Sequence[dict[str, Any]]:
    return [alert_json(a, "added") for a in diff.added] + [alert_json(a, "removed") for a in diff.removed]
