"""Step 2: claimed articles → matches → routed, rendered alerts, saved in one transaction each.

A match and its outbox rows are written together (``storage.save_processing``), so the process may die
at any instant without losing an alert; the outbox's unique dedupe key makes a replay harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from monitor import alerting, storage
from monitor.domain import AlertRequest, Article, Enrichment, Match
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.memory import BatchMemory

log = logging.getLogger(__name__)


@dataclass
class ProcessReport:
    articles: int = 0
    matches: int = 0
    alerts: int = 0


def process_pending_articles(context: PipelineContext, now: datetime) -> ProcessReport:
    """Process every unprocessed article, batch by batch, until none is left to claim."""
    report = ProcessReport()
    policy = context.settings.polling
    while True:
        articles = storage.claim_unprocessed_articles(context.db, now, policy.batch_size, policy.lease_s)
        if articles:
            process_batch(context, articles, now, report)
        if len(articles) < policy.batch_size:
            return report


def process_batch(
    context: PipelineContext, articles: list[Article], now: datetime, report: ProcessReport | None = None
) -> ProcessReport:
    """Enrich and evaluate claimed articles in order; save all of it in one transaction."""
    report = report or ProcessReport()
    ruleset = context.ruleset
    memory = BatchMemory(context.db)
    results = []
    for article, enrichment in zip(articles, enrich(context, articles), strict=True):
        evaluation = ruleset.evaluate(article, enrichment, memory, now)
        matches = list(evaluation.matches)
        alerts: list[AlertRequest] = []
        for match in matches:
            rule = ruleset.get(match.rule_id)
            alerts.extend(
                alerting.route(match, article, context.settings.subscribers, rule.notify if rule else ())
            )
        writes = memory.remember(evaluation.state_writes)
        results.append(storage.ProcessedArticle(article.id, enrichment, matches, alerts, writes))
        report.matches += len(matches)
        _log_matches(article, matches)
    report.alerts += storage.save_processed(context.db, now, results)
    report.articles += len(articles)
    return report


def enrich(context: PipelineContext, articles: list[Article]) -> list[Enrichment | None]:
    """Entities, quantities and story signatures when enrichment is on; Nones otherwise."""
    if context.enricher is None:
        return [None] * len(articles)
    return list(context.enricher.enrich(articles))


def _log_matches(article: Article, matches: list[Match]) -> None:
    for match in matches:
        log.info(
            "rule matched",
            extra={
                "action": "match",
                "rule": match.rule_id,
                "article": article.id,
                "key": match.key,
                "title": article.title,
            },
        )
