"""Enrichment in worker processes: the model reads a batch on every core, not on one (issue 10).

In a full-mode poll the model and the rule work that decides where it reads take two thirds of the CPU,
all of it in the one thread that processes batches, while the other core idles. So a batch's articles go to
``enrichment.workers`` processes in consecutive chunks and come back in order; stories, rules, alerts and
the database stay in the daemon, which then needs no model of its own.

Each worker loads its own model, watch lists and rules from the settings its job carries (spawned, like the
parse workers: no fork of a process holding a model, threads or sockets). A job names the configuration's
generation: after a reload (SIGHUP) a worker loads them again before its next job, so the pool need not be
restarted and a job never mixes two configurations.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor import rules
from monitor.domain import Article, Enrichment, EnrichmentNeeds
from monitor.settings import Settings

if TYPE_CHECKING:  # spaCy loads in the workers only
    from monitor.enrichment import Enricher

_loaded: tuple[int, Enricher, rules.RuleSet] | None = None  # the worker's own, by generation


@dataclass(frozen=True)
class EnrichJob:
    """Some consecutive articles of a batch, and the configuration to read them with."""

    generation: int
    settings: Settings
    articles: tuple[Article, ...]


def enrich_with(
    enricher: Enricher,
    ruleset: rules.RuleSet,
    articles: Sequence[Article],
    views: dict[int, rules.ArticleView] | None = None,
) -> list[Enrichment]:
    """Entities, quantities and story signatures of ``articles``; on demand (the default), the model reads
    only where ``ruleset`` says it must (``RuleSet.needs``), knowing the names and figures found without it.
    ``views``: the articles' rule views by id, to keep for the evaluation that follows in this process."""
    settings = enricher.settings
    if settings.mode == "everything":
        return list(enricher.enrich(articles))
    known = enricher.enrich(articles, [EnrichmentNeeds()] * len(articles))
    needs = [
        ruleset.needs(article, settings.max_chars, base, (views or {}).get(article.id))
        for article, base in zip(articles, known, strict=True)
    ]
    return list(enricher.enrich(articles, needs, known))


def run_job(job: EnrichJob) -> list[Enrichment]:
    """In a worker: the job's articles enriched, with the model and rules of the job's generation."""
    global _loaded
    loaded = _loaded
    if loaded is None or loaded[0] != job.generation:
        _loaded = None  # the old model goes before the new one loads: one model per worker at a time
        from monitor.pipeline.runtime import load_configured_rules, load_enrichment

        enricher, _ = load_enrichment(job.settings)
        if enricher is None:
            raise RuntimeError("an enrichment job was sent with enrichment switched off")
        loaded = _loaded = (job.generation, enricher, load_configured_rules(job.settings))
    _, enricher, ruleset = loaded
    return enrich_with(enricher, ruleset, job.articles)


@dataclass(frozen=True)
class Enriching:
    """A batch in the workers' hands: its chunks' futures, in the articles' order."""

    futures: tuple[Future[list[Enrichment]], ...]

    def result(self) -> list[Enrichment]:
        """The batch's enrichments, in order, once every chunk is done (a chunk's error is raised here)."""
        return [enrichment for future in self.futures for enrichment in future.result()]

    def cancel(self) -> None:
        for future in self.futures:
            future.cancel()


def start_in_workers(
    executor: Executor, workers: int, generation: int, settings: Settings, articles: Sequence[Article]
) -> Enriching:
    """Hand ``articles`` to the workers, one chunk per worker (consecutive, so a chunk is a stretch of the
    batch), and return at once. A worker that dies fails the batch, which goes back to be claimed again
    (``RestartingPool`` replaces the pool)."""
    count = max(1, min(workers, len(articles)))
    size = max(1, -(-len(articles) // count))
    return Enriching(
        tuple(
            executor.submit(run_job, EnrichJob(generation, settings, tuple(articles[start : start + size])))
            for start in range(0, len(articles), size)
        )
    )
