"""``newsmon feeds …``: the feed list in the database (config feeds are synced into it at start)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import IO

import click

from monitor import daemon, pipeline
from monitor.cli.app import cli
from monitor.cli.common import CliState, echo_json, fail, handles_errors, json_option, jsonable, pass_state


@cli.group()
def feeds() -> None:
    """List, add, remove, import and export feeds."""


@feeds.command("list")
@json_option
@pass_state
@handles_errors
def feeds_list(state: CliState, as_json: bool) -> None:
    """Every feed with its status, last poll, next poll and last error."""
    db = pipeline.open_database(state.settings)
    try:
        records = pipeline.list_feeds(db)
        health = pipeline.open_episodes(db)
    finally:
        db.close()
    if as_json:
        echo_json([{**jsonable(r), "health": health.get(r.id, [])} for r in records])
        return
    if not records:
        click.echo("no feeds yet: add one with `newsmon feeds add URL` or list them in the config")
        return
    for r in records:
        last = r.last_polled_at.strftime("%Y-%m-%d %H:%M") if r.last_polled_at else "never"
        nxt = r.next_poll_at.strftime("%Y-%m-%d %H:%M") if r.next_poll_at else "-"
        click.echo(f"{r.status:<8} {r.name}  <{r.url}>  every {r.interval_s}s  last {last}  next {nxt}")
        if r.last_error:
            click.echo(f"         last error ({r.error_count} in a row): {r.last_error}")
        for episode in health.get(r.id, []):
            click.echo(f"         health: {episode}")


@feeds.command("add")
@click.argument("url")
@click.option("--name", help="Display name (default: the URL).")
@click.option("--interval", "interval_s", type=click.IntRange(min=5), help="Seconds between polls.")
@click.option("--tag", "tags", multiple=True, help="A tag for routing (repeatable).")
@click.option(
    "--full-text", is_flag=True, help="Read each new entry's page when the feed carries only a summary."
)
@pass_state
@handles_errors
def feeds_add(
    state: CliState,
    url: str,
    name: str | None,
    interval_s: int | None,
    tags: tuple[str, ...],
    full_text: bool,
) -> None:
    """Add a feed by URL (http://, https:// or file:); adding it again updates and re-activates it.

    Feeds listed in the configuration are edited there, not here."""
    settings = state.settings
    db = pipeline.open_database(settings)
    try:
        feed = pipeline.add_feed(
            db,
            url,
            daemon.utc_now(),
            name=name,
            interval_s=interval_s or settings.polling.default_interval_s,
            tags=tags,
            fetch_full_text=full_text,
            configured=pipeline.configured_feeds(settings, db),
        )
    finally:
        db.close()
    click.echo(f"added {feed.name} <{feed.url}> every {feed.interval_s}s")


@feeds.command("remove")
@click.argument("url")
@pass_state
@handles_errors
def feeds_remove(state: CliState, url: str) -> None:
    """Stop polling a feed: it is disabled, its stored articles and alerts stay.

    `feeds add URL` brings it back without storing its old entries again. Feeds listed in the
    configuration are removed there."""
    db = pipeline.open_database(state.settings)
    try:
        removed = pipeline.remove_feed(db, url, pipeline.configured_feeds(state.settings, db))
    finally:
        db.close()
    if not removed:
        fail(f"no feed with url {url} (see `newsmon feeds list`)")
    click.echo(f"removed {url} (disabled; its articles and alerts stay)")


@feeds.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_state
@handles_errors
def feeds_import(state: CliState, path: Path) -> None:
    """Add or update a feed for every outline of an OPML file; folder names and categories become tags.

    Every outline is reported: added, updated, unchanged, or skipped with the reason (no xmlUrl, a bad URL,
    a feed listed in the configuration). Exits 1 when any outline was skipped; the others are imported."""
    settings = state.settings
    db = pipeline.open_database(settings)
    try:
        reports = pipeline.import_opml(
            db, path, daemon.utc_now(), settings, pipeline.configured_feeds(settings, db)
        )
    finally:
        db.close()
    counts = Counter(r.outcome for r in reports)
    for r in reports:
        line = f"outline {r.number}: {r.outcome:<9} {r.label}" + (f": {r.reason}" if r.reason else "")
        click.echo(line, err=r.outcome == "skipped")
    summary = ", ".join(f"{counts[o]} {o}" for o in ("added", "updated", "unchanged", "skipped"))
    click.echo(f"{path}: {len(reports)} feed outline(s): {summary}")
    if counts["skipped"]:
        raise SystemExit(1)


@feeds.command("export-opml")
@click.argument("output", type=click.File("w"), default="-")
@pass_state
@handles_errors
def feeds_export(state: CliState, output: IO[str]) -> None:
    """Write every feed not removed as OPML 2.0 (to OUTPUT, default stdout), with its tags and interval."""
    db = pipeline.open_database(state.settings)
    try:
        output.write(pipeline.export_opml(db, state.settings))
    finally:
        db.close()
