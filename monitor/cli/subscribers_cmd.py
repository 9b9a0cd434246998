"""``newsmon subscribers …``: who is configured to receive what, and a test message to each channel."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from monitor.cli.app import cli
from monitor.cli.common import CliState, echo_json, handles_errors, json_option, pass_state
from monitor.cli.lazy import lazy

if TYPE_CHECKING:
    from monitor.pipeline import alert_admin
    from monitor.settings import Settings, SubscriberSettings
else:
    alert_admin = lazy("monitor.pipeline.alert_admin")


@cli.group()
def subscribers() -> None:
    """List subscribers and test their channels."""


@subscribers.command("list")
@json_option
@pass_state
@handles_errors
def subscribers_list(state: CliState, as_json: bool) -> None:
    """Each subscriber: channels (secrets masked), what they receive, when."""
    settings = state.settings
    if as_json:
        echo_json([_subscriber_json(settings, s) for s in settings.subscribers])
        return
    if not settings.subscribers:
        click.echo(f"no subscribers in {settings.source}")
        return
    for s in settings.subscribers:
        wants = ", ".join([*s.rules, *(f"tag:{t}" for t in s.tags)]) or "every rule"
        when = f"digest '{s.digest_schedule}'" if s.mode == "digest" else "immediately"
        quiet = f", quiet {s.quiet_hours.start:%H:%M}–{s.quiet_hours.end:%H:%M}" if s.quiet_hours else ""
        click.echo(f"{s.name}: {wants} (≥ {s.min_severity}), {when} ({s.timezone}){quiet}")
        for masked, fmt in alert_admin.subscriber_channels(settings, s.name):
            click.echo(f"    {masked}  [{fmt}]")


@subscribers.command("test")
@click.argument("name")
@pass_state
@handles_errors
def subscribers_test(state: CliState, name: str) -> None:
    """Send a test notification to each channel of NAME and report each result; exit 1 if any failed."""
    results = alert_admin.test_subscriber(state.settings, name)
    for masked, ok, error in results:
        click.echo(f"{'ok    ' if ok else 'FAILED'} {masked}" + (f": {error}" if error else ""))
    if not all(ok for _, ok, _ in results):
        sys.exit(1)


def _subscriber_json(settings: Settings, s: SubscriberSettings) -> dict[str, object]:
    """A subscriber for scripts: its settings with every channel URL masked (never a secret)."""
    channels = [
        {"url": masked, "format": fmt} for masked, fmt in alert_admin.subscriber_channels(settings, s.name)
    ]
    return {
        "name": s.name,
        "groups": list(s.groups),
        "rules": list(s.rules),
        "tags": list(s.tags),
        "min_severity": s.min_severity,
        "mode": s.mode,
        "digest_schedule": s.digest_schedule if s.mode == "digest" else None,
        "timezone": s.timezone,
        "quiet_hours": (
            {"start": f"{s.quiet_hours.start:%H:%M}", "end": f"{s.quiet_hours.end:%H:%M}"}
            if s.quiet_hours
            else None
        ),
        "channels": channels,
    }
