"""``newsmon rules eval``: how well rules do on labeled articles, per rule and for stories.

``run_eval`` loads the labels (``labels.py``, every mistake located), runs them through enrichment and
the rules (``run.py``), files them into stories (``stories.py``) and returns an ``EvalReport`` that
``format_text`` or ``as_json`` print (``report.py``). The label format is documented in docs/rules.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from monitor import rules
from monitor.errors import MonitorError
from monitor.pipeline.rule_eval.labels import Expectation, LabeledArticle, label_files, load_labels
from monitor.pipeline.rule_eval.parallel import PooledEnricher
from monitor.pipeline.rule_eval.report import EvalReport, as_json, failing_text, format_text
from monitor.pipeline.rule_eval.run import Enrich, Evaluated, Judgement, Progress, RuleScore, evaluate_labels
from monitor.pipeline.rule_eval.stories import StoryScore, measure_stories
from monitor.settings import EnrichmentSettings

__all__ = [
    "Enrich",
    "EvalReport",
    "Evaluated",
    "Expectation",
    "Judgement",
    "LabeledArticle",
    "PooledEnricher",
    "Progress",
    "RuleScore",
    "StoryScore",
    "as_json",
    "failing_text",
    "format_text",
    "label_files",
    "load_enricher",
    "load_labels",
    "run_eval",
]


def load_enricher(
    settings: EnrichmentSettings, rule_paths: Sequence[Path], jobs: int = 1
) -> tuple[Enrich | None, str]:
    """The configured enrichment as a batch function, and its model's name; (None, "off") when switched off.

    Watch lists come from the rules' own ``watchlists/`` folders unless the settings name others, as in
    the daemon. With ``jobs`` > 1 the model reads in that many worker processes (``PooledEnricher``: close
    it when done).
    """
    if not settings.enabled:
        return None, "off"
    if jobs > 1:
        pooled = PooledEnricher(settings, rule_paths, jobs)
        return pooled, pooled.model_name
    from monitor.enrichment import Enricher  # spaCy loads here, only when the command runs

    enricher = Enricher.from_settings(settings, rule_paths)
    return enricher.enrich, enricher.model_name


def run_eval(
    label_paths: Sequence[Path],
    ruleset: rules.RuleSet,
    enrich: Enrich | None,
    settings: EnrichmentSettings,
    *,
    model: str = "none",
    stream: bool = False,
    only: Sequence[str] = (),
    progress: Progress | None = None,
) -> EvalReport:
    """Evaluate ``ruleset`` on the labeled articles under ``label_paths``; raises LabelError on bad labels."""
    unknown = [rule_id for rule_id in only if ruleset.get(rule_id) is None]
    if unknown:
        raise MonitorError(f"no such rule: {', '.join(unknown)} (loaded: {', '.join(ruleset.ids)})")
    labels = load_labels(label_paths)
    evaluated = evaluate_labels(labels, ruleset, enrich, stream=stream, only=only, progress=progress)
    stories = measure_stories(evaluated.articles, settings)
    return EvalReport(evaluated, stories, model, len(label_files(label_paths)))
