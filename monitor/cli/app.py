"""``newsmon``: the command line. A thin shell: parse arguments, call one function, report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor import daemon, health, pipeline
from monitor.cli.common import (
    CliState,
    config_option,
    echo_json,
    handles_errors,
    json_option,
    jsonable,
    pass_state,
    resolve_config,
    run_async,
    setup_logging,
)
from monitor.errors import ConfigError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@config_option
@click.option("-v", "--verbose", count=True, help="More log detail (debug level, tracebacks).")
@click.version_option(package_name="newsmon")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """newsmon — watch news feeds, match analyst rules, alert subscribers.

    \b
    Quick start:
      newsmon db upgrade            create or migrate the database
      newsmon run                   run the daemon on config/demo.yaml (Ctrl-C stops it)
      newsmon run --once            poll, match and deliver once, then exit
      newsmon match --rules rules/ article.txt feed.xml https://example.org/feed
    """
    setup_logging(verbose)
    ctx.obj = CliState(resolve_config(config_path), verbose)


@cli.command()
@click.option("--once", is_flag=True, help="Poll every due feed once, process, deliver, then exit.")
@click.option("--all", "every_feed", is_flag=True, help="With --once: poll every active feed, due or not.")
@pass_state
@handles_errors
def run(state: CliState, once: bool, every_feed: bool) -> None:
    """Run the daemon: poll feeds on their schedule, match rules, deliver alerts.

    SIGTERM or Ctrl-C finishes the work in hand and exits; SIGHUP reloads the whole config and the rules
    (a config or rule set with errors is refused and the running one kept; database, http and health
    changes need a restart).
    """
    settings = state.settings
    if every_feed and not once:
        raise click.UsageError("--all only makes sense with --once")
    if once:
        summary = run_async(daemon.run_once(settings, every_feed=every_feed))
        p, m, d = summary.polled, summary.processed, summary.delivered
        click.echo(
            f"polled {p.feeds} feeds ({p.new_articles} new articles, {p.not_modified} not modified, "
            f"{p.errors} errors); processed {m.articles} articles ({m.matches} matches, {m.alerts} alerts queued); "
            f"delivered {d.sent} ({d.failed} to retry, {d.dead} dead)",
            err=True,
        )
        return
    observers = pipeline.Observers()
    service = daemon.Daemon(settings, state.config_path, observers=observers)
    endpoints = None
    if settings.health.enabled:
        metrics = health.PipelineMetrics(_version())
        observers.listeners.append(metrics.observe)
        probe = health.Probe(settings, lambda: service.last_tick_at, lambda: service.last_reload)
        endpoints = health.HealthServer(settings.health.host, settings.health.port, probe, metrics).start()
    try:
        run_async(service.run())
    finally:
        if endpoints is not None:
            endpoints.stop()


@cli.command()
@json_option
@pass_state
@handles_errors
def status(state: CliState, as_json: bool) -> None:
    """Counts of feeds, articles and alerts by state, from the database."""
    database = pipeline.open_database(state.settings)
    try:
        s = pipeline.storage_stats(database, daemon.utc_now())
        reloads = pipeline.last_reloads(database)
        quarantined = pipeline.list_quarantined(database, limit=5) if s.articles_quarantined else []
    finally:
        database.close()
    if as_json:
        echo_json({**jsonable(s), "reloads": reloads, "quarantined": [jsonable(q) for q in quarantined]})
        return
    last = s.last_poll_at.strftime("%Y-%m-%d %H:%M:%S UTC") if s.last_poll_at else "never"
    click.echo(
        f"feeds     {s.feeds_active} active ({s.feeds_failing} failing, {s.feeds_due} due), "
        f"{s.feeds_inactive} inactive; last poll {last}"
    )
    click.echo(
        f"articles  {s.articles} stored, {s.articles_unprocessed} waiting for rules, "
        f"{s.articles_quarantined} quarantined"
    )
    for q in quarantined:
        click.echo(f"  quarantined article {q.article_id} ({q.title[:60]}): {q.reason}")
    click.echo(
        f"alerts    {s.outbox_sent} sent, {s.outbox_pending} pending ({s.outbox_due} due), "
        f"{s.outbox_dead} dead; {s.alerts_held} held for a digest or quiet hours"
    )
    for where, outcome in sorted(reloads.items()):
        if not outcome.get("ok"):
            click.echo(
                f"config    last reload FAILED on {where} at {outcome.get('at')}: {outcome.get('message')}"
            )


@cli.command()
@pass_state
@handles_errors
def check(state: CliState) -> None:
    """Validate the config, the rules, the subscriber channels and the templates; exit 2 on any error.

    Every problem at once: a config that does not load still has its rules checked (from ``rules.paths``).
    """
    from monitor.settings import rule_paths_despite_errors  # pydantic: not for `newsmon --help`

    try:
        settings = state.settings
    except ConfigError as exc:
        found = [*exc.problems, *pipeline.check_rules_only(rule_paths_despite_errors(state.config_path))]
        for problem in found:
            click.echo(str(problem), err=True)
        errors = pipeline.errors_only(found)
        click.echo(f"{len(errors)} error(s) in {state.config_path} and the files it names", err=True)
        sys.exit(2)
    problems = pipeline.check_configuration(settings)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = pipeline.errors_only(problems)
    if errors:
        click.echo(f"{len(errors)} error(s) in {settings.source} and the files it names", err=True)
        sys.exit(2)
    rules = ", ".join(str(p) for p in settings.rules.paths) or "none yet (`newsmon init` writes an example)"
    click.echo(
        f"{settings.source}: OK — {len(settings.feeds)} feeds, {len(settings.subscribers)} subscribers, "
        f"rules in {rules}"
    )


@cli.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@pass_state
@handles_errors
def db_upgrade(state: CliState) -> None:
    """Create the database or migrate it to the newest schema (safe to run every start).

    Without a config file, NEWSMON_DATABASE_URL alone names the database.
    """
    settings = state.database_settings()
    database = pipeline.open_database(settings, upgrade=True)
    database.close()
    click.echo(f"database is at the newest schema: {settings.database.display_url}")


@db.command("prune")
@click.option("--dry-run", is_flag=True, help="Count what would be pruned; change nothing.")
@pass_state
@handles_errors
def db_prune(state: CliState, dry_run: bool) -> None:
    """Apply the retention settings now (the daemon does it every retention.prune_interval_s).

    Articles older than retention.articles_days keep a small row (so their feed does not bring them back
    as new) but lose their texts, enrichment and matches; finished outbox rows and the delivery log go after
    their own retention. Alerts and rule memory are never pruned.
    """
    settings = state.database_settings()
    database = pipeline.open_database(settings)
    try:
        report = pipeline.prune_history(database, settings.retention, daemon.utc_now(), dry_run=dry_run)
    finally:
        database.close()
    verb = "would prune" if dry_run else "pruned"
    click.echo(f"{verb}: " + ", ".join(f"{count} {name}" for name, count in report.items()))


@db.command("current")
@pass_state
@handles_errors
def db_current(state: CliState) -> None:
    """The schema revision the database is at, and whether `db upgrade` is needed; exit 1 if it is."""
    settings = state.database_settings()
    current, head, _ = pipeline.schema_status(settings)
    where = settings.database.display_url
    if current == head:
        click.echo(f"{where}: at {current} (newest)")
        return
    click.echo(f"{where}: at {current or 'no schema'}, newest is {head}: run `newsmon db upgrade`")
    sys.exit(1)


@db.command("history")
@pass_state
@handles_errors
def db_history(state: CliState) -> None:
    """Every schema migration this newsmon knows, oldest first; `*` marks where the database is."""
    settings = state.database_settings()
    current, _, history = pipeline.schema_status(settings)
    for revision, description in history:
        click.echo(f"{'*' if revision == current else ' '} {revision}  {description}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsmon")
    except PackageNotFoundError:
        return "unknown"
