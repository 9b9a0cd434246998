"""``newsmon backtest``: replay stored articles through rules; with ``--against``, the diff an edit makes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, handles_errors, parse_since, pass_state
from monitor.cli.lazy import lazy

if TYPE_CHECKING:
    from monitor.pipeline import backtest as replay
else:
    replay = lazy("monitor.pipeline.backtest")

_PATHS = click.Path(exists=True, path_type=Path)


@cli.command("backtest")
@click.option(
    "--rules", "rule_paths", multiple=True, required=True, type=_PATHS, help="Rule files or folders."
)
@click.option("--since", help="Only articles published since: 30d, 12h, or an ISO date (default: all).")
@click.option(
    "--against",
    "old_paths",
    multiple=True,
    type=_PATHS,
    help="The rules as they were: print added/removed alerts.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert, per line.")
@click.option("--why", is_flag=True, help="Explain each alert (the selections, spans and memory).")
@pass_state
@handles_errors
def backtest(
    state: CliState,
    rule_paths: tuple[Path, ...],
    since: str | None,
    old_paths: tuple[Path, ...],
    as_json: bool,
    why: bool,
) -> None:
    """What RULES would have alerted on over the stored articles, replayed in time order.

    State, new-term and window rules start from an empty memory; nothing is stored or sent.
    """
    ruleset = pipeline.load_rules(list(rule_paths))
    old_rules = pipeline.load_rules(list(old_paths)) if old_paths else None
    now = daemon.utc_now()
    start = parse_since(since, now)
    db = pipeline.open_database(state.settings)
    try:
        result = replay.backtest(db, ruleset, start, now)
        old = replay.backtest(db, old_rules, start, now) if old_rules is not None else None
    finally:
        db.close()
    if old is None:
        if not as_json:
            click.echo(replay.result_text(result, why))
        for alert in result.alerts if as_json else ():
            click.echo(json.dumps(replay.alert_json(alert), default=str))
        return
    diff = replay.compare(result, old)
    if not as_json:
        click.echo(replay.diff_text(diff, result))
    for item in replay.diff_json(diff) if as_json else ():
        click.echo(json.dumps(item, default=str))
