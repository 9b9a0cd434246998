"""``newsmon alerts …``: what was sent, to whom, and what failed."""

from __future__ import annotations

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, handles_errors, parse_since, pass_state


@cli.group()
def alerts() -> None:
    """Inspect the alert outbox."""


@alerts.command("list")
@click.option("--subscriber", help="Only this subscriber's alerts.")
@click.option("--rule", help="Only this rule's alerts.")
@click.option("--since", help="Only alerts created since: 30d, 12h, or an ISO date.")
@click.option("--failed", is_flag=True, help="Only alerts that failed for good (dead) or are retrying.")
@click.option("--limit", default=100, show_default=True, help="At most this many, newest first.")
@pass_state
@handles_errors
def alerts_list(
    state: CliState, subscriber: str | None, rule: str | None, since: str | None, failed: bool, limit: int
) -> None:
    """Alerts newest first, with their delivery status."""
    db = pipeline.open_database(state.settings)
    try:
        records = pipeline.list_alerts(
            db,
            subscriber=subscriber,
            rule=rule,
            since=parse_since(since, daemon.utc_now()),
            failed=failed,
            limit=limit,
        )
    finally:
        db.close()
    if not records:
        click.echo("no alerts match")
        return
    for r in records:
        when = r.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"#{r.id:<5} {when}  {r.status:<7} {r.subscriber:<12} {r.rule_id:<20} {r.title}")
        if r.last_error:
            click.echo(f"        attempts {r.attempts}; last error: {r.last_error}")
