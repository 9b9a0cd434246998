"""Step 2: a claimed batch of articles → enrichment → stories → matches → planned alerts, saved in one
transaction per batch.

Matches, alerts and their outbox rows are written together (``storage.save_processed``), so the process may
die at any instant without losing an alert; the outbox's unique dedupe key makes a replay harmless.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from monitor import alerting, rules, storage
from monitor.domain import Article, Enrichment, Match
from monitor.enrichment import StoryDecision
from monitor.pipeline.alerts import plan_alerts
from monitor.pipeline.clock import advancing
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.enrich_workers import Enriching, enrich_with, start_in_workers
from monitor.pipeline.memory import BatchMemory
from monitor.pipeline.observe import BatchObserved

log = logging.getLogger(__name__)
STATE_CONFLICT_ATTEMPTS = 5  # evaluations of one batch while other workers keep changing its rule memory


@dataclass
class ProcessReport:
    articles: int = 0
    matches: int = 0
    alerts: int = 0

    def add(self, other: ProcessReport) -> None:
        self.articles += other.articles
        self.matches += other.matches
        self.alerts += other.alerts


@dataclass
class _Claimed:
    """A claimed batch, in publication order, and its enrichment under way in the workers (if any)."""

    articles: list[Article]
    at: datetime
    enriching: Enriching | None


def process_pending_articles(context: PipelineContext, now: datetime) -> ProcessReport:
    """Process every unprocessed article, batch by batch, until none is left to claim or ``context.stop``
    is set: a stopping daemon finishes the batch in hand, not a backlog of thousands.

    With enrichment workers, the next batch is claimed and handed to them before this one is filed into
    stories, evaluated and saved here, so the model reads one batch while this process finishes the other.
    """
    report = ProcessReport()
    policy = context.settings.polling
    clock = advancing(now)  # each claim's lease from the time of that claim (issue 12, finding 1)
    lease = context.lease
    held: list[_Claimed] = []  # claimed, not processed yet: at most two, and two only with workers
    try:
        while not context.stop.is_set():
            claimed_at = clock()
            articles = storage.claim_unprocessed_articles(
                context.db, claimed_at, policy.batch_size, lease.seconds, lease.worker
            )
            if articles:
                held.append(_claim(context, articles, claimed_at))
            more = len(articles) == policy.batch_size
            while held and (len(held) > 1 or not more or context.enrich_executor is None):
                batch = held[0]
                enrichments = batch.enriching.result() if batch.enriching is not None else None
                process_batch(context, batch.articles, batch.at, report, enrichments)
                held.pop(0)
            if not more:
                break
    finally:
        # a failed batch, or one claimed ahead when the daemon stops, must not stay claimed by a live
        # worker (its heartbeat would renew the claims until it stops): hand it back for the next tick
        for batch in held:
            if batch.enriching is not None:
                batch.enriching.cancel()
            storage.release_articles(context.db, [a.id for a in batch.articles], lease.worker)
    return report


def _claim(context: PipelineContext, articles: list[Article], at: datetime) -> _Claimed:
    ordered = _in_publication_order(articles)
    return _Claimed(ordered, at, _in_workers(context, ordered))


def _in_workers(context: PipelineContext, articles: list[Article]) -> Enriching | None:
    """The articles handed to the enrichment workers, or None when the model reads in this process."""
    executor = context.enrich_executor
    if executor is None:
        return None
    return start_in_workers(
        executor, context.enrich_workers, context.enrichment_generation, context.settings, articles
    )


def _in_publication_order(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published_at, a.id))


def process_batch(
    context: PipelineContext,
    articles: list[Article],
    now: datetime,
    report: ProcessReport | None = None,
    enriched: list[Enrichment] | None = None,
) -> ProcessReport:
    """Enrich, file into stories and evaluate claimed articles in publication order; save in one transaction.

    Publication order matters to the rules that remember (a summit planned, then cancelled): a feed lists
    newest first, and claims go by id. ``enriched``: the batch's enrichments, in publication order, when
    the workers made them already.
    """
    report = report or ProcessReport()
    started = time.perf_counter()
    articles = _in_publication_order(articles)
    views = {a.id: context.ruleset.view(a) for a in articles}  # read once by `needs`, then by `evaluate`
    enrichments: list[Enrichment | None] = (
        list(enriched) if enriched is not None else enrich(context, articles, views)
    )
    assignment = context.stories.assign(context.db, articles, enrichments, now) if context.stories else None
    stories = assignment.decisions if assignment else {}
    for attempt in range(1, STATE_CONFLICT_ATTEMPTS + 1):
        try:
            results = _evaluate_and_save(context, articles, enrichments, views, stories, now, report)
            break
        except storage.StateConflict as exc:  # another worker changed rule memory: evaluate again
            if attempt == STATE_CONFLICT_ATTEMPTS:
                raise
            log.info(
                "rule memory changed meanwhile; evaluating the batch again",
                extra={"action": "process.state_conflict", "error": str(exc), "attempt": attempt},
            )
    if context.stories and assignment:  # only now: a failed commit must leave no story behind
        context.stories.commit(assignment)
    report.articles += len(articles)
    context.observers.emit(
        BatchObserved(
            articles=len(articles),
            duration_s=time.perf_counter() - started,
            lags_s=tuple(max(0.0, (now - a.fetched_at).total_seconds()) for a in articles),
            matches=tuple(m.rule_id for r in results for m in r.matches),
            alerts=tuple(e.outcome for r in results for e in r.alert_events),
        )
    )
    return report


def _evaluate_and_save(
    context: PipelineContext,
    articles: list[Article],
    enrichments: list[Enrichment | None],
    views: dict[int, rules.ArticleView],
    stories: Mapping[int, StoryDecision],
    now: datetime,
    report: ProcessReport,
) -> list[storage.ProcessedArticle]:
    """Evaluate the batch against rule memory as stored now, plan its alerts and save it all at once;
    raises ``storage.StateConflict`` (nothing written) when memory the batch read changed meanwhile, so
    two workers never both fire the same new term or state change (issue 12, finding 2)."""
    ruleset = context.ruleset
    memory = BatchMemory(context.db)
    evaluated: list[tuple[Article, Enrichment | None, StoryDecision | None, rules.Evaluation]] = []
    results: list[storage.ProcessedArticle] = []
    for article, enrichment in zip(articles, enrichments, strict=True):
        story = stories.get(article.id)
        if story is not None:
            article = dataclasses.replace(article, story_id=story.story_id)
        try:
            budget = rules.Budget(context.settings.rules.evaluation_budget_s)
            evaluation = ruleset.evaluate(article, enrichment, memory, now, budget, views.get(article.id))
        except (rules.EvaluationOverBudget, rules.RuleFailed) as exc:
            results.append(_quarantined(article, enrichment, story, exc))
            continue
        memory.remember(evaluation.state_writes)
        evaluated.append((article, enrichment, story, evaluation))
    batch = [alerting.BatchItem(a, e.matches, e.suppressed) for a, _, _, e in evaluated]
    planned = plan_alerts(context, batch, now) if batch else []
    found: list[tuple[Article, list[Match], StoryDecision | None]] = []
    for (article, enrichment, story, evaluation), events in zip(evaluated, planned, strict=True):
        matches = list(evaluation.matches)
        results.append(
            storage.ProcessedArticle(
                article.id,
                enrichment,
                matches,
                story_id=story.story_id if story else None,
                story_is_new=story.is_new if story else False,
                alert_events=events,
            )
        )
        found.append((article, matches, story))
    created = storage.save_processed(context.db, now, results, memory.rows(), memory.reads())
    if created:  # wake deliverers (a hint: they also look on every tick)
        storage.notify(context.db, storage.NEW_OUTBOX)
    report.alerts += created
    for article, matches, story in found:
        report.matches += len(matches)
        _log_matches(article, matches, story)
    return results


def _quarantined(
    article: Article,
    enrichment: Enrichment | None,
    story: StoryDecision | None,
    exc: rules.EvaluationOverBudget | rules.RuleFailed,
) -> storage.ProcessedArticle:
    """Set the article aside (no matches, never claimed again) instead of retrying it every tick."""
    details = {
        "action": "article.quarantined",
        "article": article.id,
        "rule": exc.rule_id,
        "title": article.title,
    }
    if isinstance(exc, rules.EvaluationOverBudget):
        log.error(
            "article quarantined: its rules took too long",
            extra={**details, "elapsed_s": round(exc.elapsed_s, 3)},
        )
    else:  # with the traceback: a defect to report, not an article to fix
        log.error("article quarantined: rule '%s' failed on it", exc.rule_id, extra=details, exc_info=exc)
    return storage.ProcessedArticle(
        article.id,
        enrichment,
        story_id=story.story_id if story else None,
        story_is_new=story.is_new if story else False,
        quarantine=storage.Quarantine(str(exc), exc.rule_id),
    )


def enrich(
    context: PipelineContext,
    articles: list[Article],
    views: dict[int, rules.ArticleView] | None = None,
) -> list[Enrichment | None]:
    """Entities, quantities and story signatures when enrichment is on; Nones otherwise: in the worker
    processes when there are some (enrich_workers.py), else here, keeping each article's rule view in
    ``views`` for the evaluation that follows."""
    enriching = _in_workers(context, articles)
    if enriching is not None:
        return list(enriching.result())
    if context.enricher is None:
        return [None] * len(articles)
    return list(enrich_with(context.enricher, context.ruleset, articles, views))


def _log_matches(article: Article, matches: list[Match], story: StoryDecision | None) -> None:
    if story is not None and not story.is_new:
        log.debug(
            "article joins a story",
            extra={
                "action": "story.join",
                "article": article.id,
                "story": story.story_id,
                "reason": story.reason,
            },
        )
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


def check_flatlines(context: PipelineContext, now: datetime) -> ProcessReport:
    """Alert for ``flatline`` rules whose keys went quiet: a clock tick, not an article, triggers these."""
    report = ProcessReport()
    memory = BatchMemory(context.db)
    evaluation = context.ruleset.check_flatlines(memory, now)
    if not evaluation.matches and not evaluation.state_writes:
        return report
    known = storage.get_articles(context.db, [m.article_id for m in evaluation.matches])
    by_article: dict[int, list[Match]] = {}
    for match in evaluation.matches:
        if match.article_id in known:
            by_article.setdefault(match.article_id, []).append(match)
    memory.remember(evaluation.state_writes)
    batch = [alerting.BatchItem(known[article_id], found) for article_id, found in by_article.items()]
    planned = plan_alerts(context, batch, now)
    results = [
        storage.ProcessedArticle(item.article.id, matches=list(item.matches), alert_events=events)
        for item, events in zip(batch, planned, strict=True)
    ]
    report.matches = sum(len(m) for m in by_article.values())
    report.alerts = storage.save_processed(context.db, now, results, memory.rows(), memory.reads())
    if report.alerts:
        storage.notify(context.db, storage.NEW_OUTBOX)
    return report
