"""``newsmon alerts …``: what each subscriber was told, about which story, and how delivery went.

An alert is one piece of news (a story, a rule and its key) for one subscriber: its first notification,
its updates, the sources that were only recorded, and every delivery attempt, all under one id.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, echo_json, handles_errors, json_option, parse_since, pass_state
from monitor.cli.lazy import lazy
from monitor.domain import ALERT_FORMATS

if TYPE_CHECKING:
    from monitor.pipeline import alert_admin
    from monitor.storage import AlertDetail, AlertSummary
else:
    alert_admin = lazy("monitor.pipeline.alert_admin")


@cli.group()
def alerts() -> None:
    """Inspect, resend, cancel, purge and preview alerts."""


@alerts.command("list")
@click.option("--subscriber", help="Only this subscriber's alerts.")
@click.option("--rule", help="Only this rule's alerts.")
@click.option("--since", help="Only alerts created since: 30d, 12h, or an ISO date.")
@click.option(
    "--failed", is_flag=True, help="Only alerts whose delivery failed for good (dead) or is retrying."
)
@click.option("--limit", default=100, show_default=True, help="At most this many, newest first.")
@json_option
@pass_state
@handles_errors
def alerts_list(
    state: CliState,
    subscriber: str | None,
    rule: str | None,
    since: str | None,
    failed: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Alerts newest first: id, time, delivery, subscriber, rule, key, sources."""
    db = pipeline.open_database(state.settings)
    try:
        found = alert_admin.list_alerts(
            db,
            subscriber=subscriber,
            rule=rule,
            since=parse_since(since, daemon.utc_now()),
            failed=failed,
            limit=limit,
        )
    finally:
        db.close()
    if as_json:
        echo_json(found)
        return
    if not found:
        click.echo("no alerts match")
        return
    for alert in found:
        click.echo(_line(alert))


@alerts.command("show")
@click.argument("alert_id", type=int)
@json_option
@pass_state
@handles_errors
def alerts_show(state: CliState, alert_id: int, as_json: bool) -> None:
    """One alert: what it is about, every source of its story, its notifications and delivery attempts."""
    db = pipeline.open_database(state.settings)
    try:
        detail = alert_admin.alert_detail(db, alert_id)
    finally:
        db.close()
    if as_json:
        echo_json(detail)
        return
    click.echo("\n".join(_detail(detail)))


@alerts.command("cancel")
@click.argument("alert_id", type=int)
@pass_state
@handles_errors
def alerts_cancel(state: CliState, alert_id: int) -> None:
    """Cancel an alert's notifications that are not sent yet (pending, retrying or dead)."""
    db = pipeline.open_database(state.settings)
    try:
        cancelled = alert_admin.cancel_alert(db, alert_id)
    finally:
        db.close()
    click.echo(f"alert #{alert_id}: {len(cancelled)} notification(s) cancelled ({_ids(cancelled)})")


@alerts.command("purge")
@click.option("--failed", is_flag=True, help="Delete every dead or cancelled notification.")
@click.option("--subscriber", help="Delete every notification of this subscriber that is not sent.")
@pass_state
@handles_errors
def alerts_purge(state: CliState, failed: bool, subscriber: str | None) -> None:
    """Delete notifications that will not be sent: stuck rows of a removed or broken channel."""
    db = pipeline.open_database(state.settings)
    try:
        purged = alert_admin.purge_notifications(db, failed=failed, subscriber=subscriber)
    finally:
        db.close()
    click.echo(f"{purged} notification(s) deleted")


@alerts.command("resend")
@click.argument("alert_id", type=int)
@pass_state
@handles_errors
def alerts_resend(state: CliState, alert_id: int) -> None:
    """Queue an alert's latest notification to each channel again (the daemon delivers it)."""
    db = pipeline.open_database(state.settings)
    try:
        queued = alert_admin.resend_alert(db, alert_id, daemon.utc_now())
    finally:
        db.close()
    click.echo(f"alert #{alert_id}: {len(queued)} notification(s) queued again ({_ids(queued)})")


@alerts.command("preview")
@click.option("--rule", "rule_id", required=True, help="The rule whose alert to render.")
@click.option(
    "--article",
    "article_path",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="An article file (.txt: first line is the title; or .json).",
)
@click.option("--subscriber", help="Use this subscriber's template overrides.")
@click.option(
    "--format", "fmt", type=click.Choice(ALERT_FORMATS), help="Only this format (default: all three)."
)
@pass_state
@handles_errors
def alerts_preview(
    state: CliState, rule_id: str, article_path: Path, subscriber: str | None, fmt: str | None
) -> None:
    """Render the alert a rule would send for an article, without sending or storing anything."""
    preview = alert_admin.preview_alert(
        state.settings,
        rule_id,
        article_path,
        daemon.utc_now(),
        subscriber=subscriber,
        formats=(fmt,) if fmt else alert_admin.FORMATS,
    )
    if not preview.holds:
        click.echo(f"note: rule {rule_id} does not hold for {article_path}; rendered as if it did", err=True)
    for rendered in preview.rendered:
        click.echo(f"===== {rendered.format} =====")
        click.echo(f"title: {rendered.title}")
        click.echo("")
        click.echo(rendered.body)
        click.echo("")


def _line(alert: AlertSummary) -> str:
    when = alert.created_at.strftime("%Y-%m-%d %H:%M")
    status = alert.delivery if alert.status == "notified" else alert.status
    key = f" [{alert.key}]" if alert.key else ""
    return (
        f"#{alert.id:<5} {when}  {status or '-':<9} {alert.subscriber:<12} {alert.rule_id}{key}"
        f"  {alert.sources} source(s)  {alert.article_title or ''}"
    )


def _detail(detail: AlertDetail) -> list[str]:
    alert = detail.alert
    lines = [
        f"alert #{alert.id}: {alert.rule_title} ({alert.rule_id}, {alert.severity})",
        f"  key:        {alert.key or '(none)'}",
        f"  subscriber: {alert.subscriber}",
        f"  status:     {alert.status}" + (f", delivery {alert.delivery}" if alert.delivery else ""),
        f"  story:      #{alert.story_id}, opened {_when(alert.created_at)}, last change {_when(alert.updated_at)}",
    ]
    if alert.fact:
        lines.append("  told:       " + ", ".join(f"{k} {v}" for k, v in alert.fact.items()))
    lines.append("story sources:")
    for source in detail.sources:
        what = source.outcome or "not matched"
        lines.append(f"  {_when(source.published_at)}  {source.feed or '?'}: {source.title or '(removed)'}")
        if source.link:
            lines.append(f"      {source.link}")
        lines.append(f"      → {what}" + (f": {source.note}" if source.note else ""))
    for hold in detail.holds:
        released = f"released {_when(hold.released_at)}" if hold.released_at else "waiting"
        lines.append(f"held for {hold.reason} until {_when(hold.release_at)} ({released})")
    lines.append("notifications:" if detail.notifications else "notifications: none")
    for note in detail.notifications:
        lines.append(
            f"  #{note.id} {note.kind:<7} {note.status:<8} {note.channel}  attempts {note.attempts}"
            + (f"  sent {_when(note.sent_at)}" if note.sent_at else "")
        )
        for attempt in (a for a in detail.attempts if a.outbox_id == note.id):
            outcome = "ok" if attempt.ok else f"failed: {attempt.error}"
            lines.append(f"      {_when(attempt.attempted_at)}  {attempt.channel_masked}  {outcome}")
    return lines


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "?"


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)
