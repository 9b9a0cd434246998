"""``newsmon rules …`` and ``newsmon match``: rule authoring tools, no database needed."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, handles_errors, pass_state


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
    problems = pipeline.check_rules(rule_paths, enrich)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = pipeline.errors_only(problems)
    if errors:
        click.echo(f"{len(errors)} error(s)", err=True)
        sys.exit(2)
    ruleset = pipeline.load_rules(rule_paths)
    click.echo(f"{len(ruleset.rules)} rules OK ({len(problems)} warnings)")


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_state
@handles_errors
def rules_test(state: CliState, paths: tuple[Path, ...]) -> None:
    """Run every rule's embedded examples (match / no_match, expected captures); exit 1 when one fails."""
    rule_paths = _paths(state, paths)
    ruleset = pipeline.load_rules(rule_paths)
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
@click.argument("sources", nargs=-1, required=True)
@pass_state
@handles_errors
def match(state: CliState, rule_paths: tuple[Path, ...], as_json: bool, sources: tuple[str, ...]) -> None:
    """Dry run: which rules match SOURCES (feed files, URLs, article .txt files or folders).

    Nothing is stored or sent. Exit status 0 whether or not anything matched; 2 on a bad rule.
    """
    ruleset = pipeline.load_rules(_paths(state, rule_paths))
    http = state.settings.http if not rule_paths else pipeline.default_http()
    enricher = pipeline.load_enrichment(state.settings_or_defaults())[0]
    items = asyncio.run(pipeline.dry_run(list(sources), ruleset, http, daemon.utc_now(), enricher))
    for item in items:
        if item.error:
            click.echo(f"error: {item.error}", err=True)
        elif as_json:
            click.echo(json.dumps(pipeline.dry_run_json(item), default=str))
        else:
            click.echo(pipeline.dry_run_text(item))
    matched = sum(1 for i in items if i.match)
    click.echo(f"{matched} match(es) in {len(sources)} source(s)", err=True)
