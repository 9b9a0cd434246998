"""``newsmon rules …`` and ``newsmon match``: rule authoring tools, no database needed."""

from __future__ import annotations

import asyncio
import json
import sys
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
@pass_state
@handles_errors
def rules_check(state: CliState, paths: tuple[Path, ...]) -> None:
    """Report every error and warning in the rule files at once (file:line:col); exit 2 on errors."""
    problems = pipeline.check_rules(_paths(state, paths))
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = pipeline.errors_only(problems)
    if errors:
        click.echo(f"{len(errors)} error(s)", err=True)
        sys.exit(2)
    ruleset = pipeline.load_rules(_paths(state, paths))
    click.echo(f"{len(ruleset.rules)} rules OK ({len(problems)} warnings)")


@rules_group.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_state
@handles_errors
def rules_test(state: CliState, paths: tuple[Path, ...]) -> None:
    """Run every rule's embedded examples (match / no_match); exit 1 when one fails."""
    results = pipeline.run_examples(pipeline.load_rules(_paths(state, paths)))
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo(f"FAILED {result.rule_id}: {result.message}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
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
    items = asyncio.run(pipeline.dry_run(list(sources), ruleset, http, daemon.utc_now()))
    for item in items:
        if item.error:
            click.echo(f"error: {item.error}", err=True)
        elif as_json:
            click.echo(json.dumps(pipeline.dry_run_json(item), default=str))
        else:
            click.echo(pipeline.dry_run_text(item))
    matched = sum(1 for i in items if i.match)
    click.echo(f"{matched} match(es) in {len(sources)} source(s)", err=True)
