"""``newsmon silence …``: stop alerts about a rule, a key or for a subscriber for a while, with a reason."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, echo_json, handles_errors, json_option, jsonable, pass_state
from monitor.cli.lazy import lazy

if TYPE_CHECKING:
    from monitor.pipeline import alert_admin
    from monitor.storage import SilenceRecord
else:
    alert_admin = lazy("monitor.pipeline.alert_admin")

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration_s(value: str) -> float:
    """``90m``, ``12h``, ``2d``, ``1w`` → seconds; a click usage error otherwise."""
    found = _DURATION.match(value.strip().lower())
    if not found or float(found.group(1)) <= 0:
        raise click.BadParameter(f"'{value}' is not a duration like 90m, 12h, 2d or 1w")
    return float(found.group(1)) * _SECONDS[found.group(2)]


@cli.group()
def silence() -> None:
    """Silence alerts for a while (by rule, key and/or subscriber; patterns like 'Lukoil*' work)."""


@silence.command("add")
@click.option("--rule", "rule_id", help="Rule id (or pattern) to silence.")
@click.option("--key", help="Alert key (or pattern) to silence, e.g. 'Lukoil' or 'Lukoil*'.")
@click.option("--subscriber", help="Only for this subscriber (or pattern).")
@click.option("--for", "duration", required=True, help="How long: 90m, 12h, 2d, 1w.")
@click.option("--reason", default="", help="Why, for whoever reads `silence list` later.")
@pass_state
@handles_errors
def silence_add(
    state: CliState, rule_id: str | None, key: str | None, subscriber: str | None, duration: str, reason: str
) -> None:
    """Add a silence: alerts it covers are recorded as silenced (see `alerts show`) and not sent, not even
    after the silence ends: a silence says "I know, stop telling me". Alerts planned after it ends go out
    as usual."""
    if not (rule_id or key or subscriber):
        raise click.UsageError("name at least one of --rule, --key, --subscriber")
    seconds = parse_duration_s(duration)
    db = pipeline.open_database(state.settings)
    try:
        added = alert_admin.add_silence(
            db, daemon.utc_now(), seconds, rule_id=rule_id, key=key, subscriber=subscriber, reason=reason
        )
    finally:
        db.close()
    click.echo(f"silence #{added.id} added: {_what(added)} until {_until(added)}")


@silence.command("list")
@click.option("--all", "include_expired", is_flag=True, help="Also silences that have ended.")
@json_option
@pass_state
@handles_errors
def silence_list(state: CliState, include_expired: bool, as_json: bool) -> None:
    """Silences in force (with --all, also the ended ones), newest first."""
    now = daemon.utc_now()
    db = pipeline.open_database(state.settings)
    try:
        found = alert_admin.list_silences(db, now, include_expired=include_expired)
    finally:
        db.close()
    if as_json:
        echo_json([{**jsonable(record), "active": record.active(now)} for record in found])
        return
    if not found:
        click.echo("no silences")
        return
    for record in found:
        ended = "" if record.active(now) else " (ended)"
        reason = f" — {record.reason}" if record.reason else ""
        click.echo(f"#{record.id:<4} {_what(record)} until {_until(record)}{ended}{reason}")


@silence.command("remove")
@click.argument("silence_id", type=int)
@pass_state
@handles_errors
def silence_remove(state: CliState, silence_id: int) -> None:
    """End a silence now (it stays in `silence list --all`)."""
    db = pipeline.open_database(state.settings)
    try:
        ended = alert_admin.end_silence(db, silence_id, daemon.utc_now())
    finally:
        db.close()
    click.echo(f"silence #{ended.id} ended: {_what(ended)}")


def _what(record: SilenceRecord) -> str:
    parts = [
        f"{name}={value}"
        for name, value in (("rule", record.rule_id), ("key", record.key), ("subscriber", record.subscriber))
        if value
    ]
    return " ".join(parts)


def _until(record: SilenceRecord) -> str:
    return record.expires_at.strftime("%Y-%m-%d %H:%M UTC")
