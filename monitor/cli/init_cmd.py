"""``newsmon init [DIR]``: a starter config, an example rule and a watch list, ready to edit."""

from __future__ import annotations

from pathlib import Path

import click

from monitor.cli.app import cli
from monitor.cli.common import handles_errors
from monitor.cli.lazy import lazy_callable

write_starter = lazy_callable("monitor.settings.starter", "write_starter")  # pydantic loads when run


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--force", is_flag=True, help="Overwrite starter files that already exist.")
@handles_errors
def init(directory: Path, force: bool) -> None:
    """Write a commented starter config (DIRECTORY/newsmon.yaml), an example rule and a watch list.

    \b
    Then:
      newsmon -c DIRECTORY/newsmon.yaml check        validate it
      newsmon -c DIRECTORY/newsmon.yaml db upgrade   create the database
      newsmon -c DIRECTORY/newsmon.yaml run          start the daemon
    """
    for path in write_starter(directory, force=force):
        click.echo(f"wrote {path}")
    config = directory / "newsmon.yaml"
    click.echo(
        f"next: add feeds to {config} (or `newsmon -c {config} feeds add URL`), then "
        f"`newsmon -c {config} db upgrade` and `newsmon -c {config} run`"
    )
