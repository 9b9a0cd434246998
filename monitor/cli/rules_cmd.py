"""``newsmon rules …`` and ``newsmon match``: rule authoring tools, no database needed."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, handles_errors, pass_state, run_async
from monitor.cli.lazy import lazy

if TYPE_CHECKING:
    from monitor import rules
    from monitor.pipeline import rule_eval
    from monitor.settings import HttpSettings
else:
    rule_eval = lazy("monitor.pipeline.rule_eval")

if TYPE_CHECKING:
    from monitor.enrichment import Enricher


def _paths(state: CliState, paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) if paths else list(state.settings.rules.paths)


@cli.group("rules")
def rules_group() -> None:
    """Check and test rule files."""


@rules_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--no-examples", is_flag=True, help="Skip running the examples (no spaCy model load).")
@pass_state
@handles_errors
def rules_check(state: CliState, paths: tuple[Path, ...], no_examples: bool) -> None:
    """Report every error and warning in the rule files at once (file:line:col); exit 2 on errors.

    A rule whose own examples fail is a warning here (``rules test`` fails on it).
    """
    rule_paths = _paths(state, paths)
    enrich = None if no_examples else pipeline.example_enricher(state.enrichment_settings, rule_paths)
    vocabulary = pipeline.rule_vocabulary(state.enrichment_settings, rule_paths)
    problems = pipeline.check_rules(rule_paths, enrich, vocabulary)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = pipeline.errors_only(problems)
    if errors:
        click.echo(f"{len(errors)} error(s)", err=True)
        sys.exit(2)
    ruleset = pipeline.load_rules(rule_paths, vocabulary)
    click.echo(f"{len(ruleset.rules)} rules OK ({len(problems)} warnings)")


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_state
@handles_errors
def rules_test(state: CliState, paths: tuple[Path, ...]) -> None:
    """Run every rule's embedded examples (match / no_match, expected captures); exit 1 when one fails."""
    rule_paths = _paths(state, paths)
    ruleset = pipeline.load_rules(rule_paths, pipeline.rule_vocabulary(state.enrichment_settings, rule_paths))
    enrich = pipeline.example_enricher(state.enrichment_settings, rule_paths)
    started = time.perf_counter()
    results = pipeline.run_examples(ruleset, enrich)
    click.echo(pipeline.format_example_report(results, time.perf_counter() - started))
    if any(not r.ok for r in results):
        sys.exit(1)


@cli.command("match")
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Rule files or folders (default: the config's rules).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match, per line.")
@click.option(
    "--why",
    "why_rule",
    metavar="RULE",
    help="Explain, for every article, why RULE alerts or not (which selection failed, which gate stopped it).",
)
@click.option(
    "--no-memory",
    is_flag=True,
    help="Show every article each rule holds for: no rule memory (new_term, realert, throttle, state, "
    "changed_by, frequency) between the articles of the run.",
)
@click.argument("sources", nargs=-1, required=True)
@pass_state
@handles_errors
def match(
    state: CliState,
    rule_paths: tuple[Path, ...],
    as_json: bool,
    why_rule: str | None,
    no_memory: bool,
    sources: tuple[str, ...],
) -> None:
    """Dry run: which rules match SOURCES (feed files, URLs, article .txt files or folders).

    Nothing is stored or sent. But the rules remember within the run, as the daemon does: articles go in
    publication order, and a rule with new_term, realert, throttle, state or changed_by may stay silent on
    a later article because an earlier one of the same run already alerted. --no-memory shows every
    article a rule holds for. A source that cannot be read or parsed is reported and the others are still
    read. Exit status 0 whether or not anything matched; 1 when a source failed; 2 on a bad rule.
    """
    paths = _paths(state, rule_paths)
    settings = state.settings_or_defaults()
    ruleset = pipeline.load_rules(paths, pipeline.rule_vocabulary(settings.enrichment, paths))
    http = state.settings.http if not rule_paths else pipeline.default_http()
    enricher = pipeline.load_enrichment(settings, paths)[0]
    if why_rule is not None:
        _explain(list(sources), ruleset, why_rule, http, enricher, as_json)
        return
    now = daemon.utc_now()
    items = run_async(pipeline.dry_run(list(sources), ruleset, http, now, enricher, memory=not no_memory))
    for item in items:
        if item.error:
            click.echo(f"error: {item.error}", err=True)
        elif as_json:
            click.echo(json.dumps(pipeline.dry_run_json(item), default=str))
        else:
            click.echo(pipeline.dry_run_text(item))
    matched = sum(1 for i in items if i.match)
    failed = sum(1 for i in items if i.error)
    failures = f", {failed} source(s) failed" if failed else ""
    click.echo(f"{matched} match(es) in {len(sources)} source(s){failures}", err=True)
    if failed:
        sys.exit(1)


def _explain(
    sources: list[str],
    ruleset: rules.RuleSet,
    rule_id: str,
    http: HttpSettings,
    enricher: Enricher | None,
    as_json: bool,
) -> None:
    """``match --why RULE``: every article's verdict for one rule, with the reason."""
    items = run_async(pipeline.explain_sources(sources, ruleset, rule_id, http, daemon.utc_now(), enricher))
    for item in items:
        if item.error:
            click.echo(f"error: {item.error}", err=True)
        elif as_json:
            assert item.article is not None and item.why is not None
            verdict = {"rule": rule_id, "verdict": item.why.verdict, "because": item.why.reason}
            click.echo(json.dumps({**verdict, "title": item.article.title, "why": list(item.why.lines)}))
        else:
            click.echo(pipeline.why_text(item))
    alerting = sum(1 for i in items if i.why is not None and i.why.alerts)
    click.echo(f"{rule_id}: alerts on {alerting} of {sum(1 for i in items if i.why)} article(s)", err=True)


@rules_group.command("eval")
@click.argument("labels", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Rule files or folders (default: the config's rules).",
)
@click.option("--stream", is_flag=True, help="One memory for all articles, in publication order.")
@click.option("--rule", "only", multiple=True, metavar="ID", help="Score only this rule (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="The whole report as one JSON object.")
@click.option("--min-f1", type=click.FloatRange(0, 1), help="Exit 1 when a rule with labels scores below.")
@click.option(
    "--min-captures", type=click.FloatRange(0, 1), help="Exit 1 when a rule's capture accuracy is below."
)
@click.option(
    "--jobs",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Processes the model reads in (0: one per core); each loads its own model (~200 MB).",
)
@pass_state
@handles_errors
def rules_eval(
    state: CliState,
    labels: tuple[Path, ...],
    rule_paths: tuple[Path, ...],
    stream: bool,
    only: tuple[str, ...],
    as_json: bool,
    min_f1: float | None,
    min_captures: float | None,
    jobs: int,
) -> None:
    """Score rules on LABELS (labeled-article YAML files or folders): precision, recall, F1, captures.

    Every false positive and false negative is listed with its explanation, and story clustering is scored
    (B-cubed) when the labels name stories. Exit 1 below --min-f1/--min-captures; 2 on bad labels or rules.
    """
    paths = _paths(state, rule_paths)
    ruleset = pipeline.load_rules(paths)
    settings = state.enrichment_settings
    enrich, model = rule_eval.load_enricher(settings, paths, jobs or (os.cpu_count() or 1))
    try:
        report = rule_eval.run_eval(
            list(labels),
            ruleset,
            enrich,
            settings,
            model=model,
            stream=stream,
            only=only,
            progress=_progress(),
        )
    finally:
        if isinstance(enrich, rule_eval.PooledEnricher):
            enrich.close()
    click.echo(json.dumps(rule_eval.as_json(report), indent=2) if as_json else rule_eval.format_text(report))
    failing = report.below(min_f1, min_captures)
    if failing:
        click.echo(rule_eval.failing_text(failing, min_f1, min_captures), err=True)
        sys.exit(1)


def _progress(every_s: float = 2.0) -> rule_eval.Progress:
    """A progress line on stderr at most every ``every_s`` seconds, and at the end of each phase."""
    last = [time.monotonic()]

    def show(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= every_s:
            last[0] = now
            click.echo(f"rules eval: {phase} {done}/{total} articles", err=True)

    return show
