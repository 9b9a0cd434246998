"""What every command shares: the config option, lazy settings, the one way errors leave the CLI."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
import sys
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from monitor.cli.lazy import lazy_callable
from monitor.errors import LocatedError, MonitorError

if TYPE_CHECKING:
    from monitor.daemon import configure_logging
    from monitor.settings import (
        EnrichmentSettings,
        LoggingSettings,
        Settings,
        database_only_settings,
        default_config_path,
        load_settings,
    )
else:  # pydantic and the settings models load when a command runs, not for --help
    configure_logging = lazy_callable("monitor.daemon.logs", "configure_logging")
    load_settings = lazy_callable("monitor.settings", "load_settings")
    default_config_path = lazy_callable("monitor.settings", "default_config_path")
    database_only_settings = lazy_callable("monitor.settings", "database_only_settings")
    Settings = lazy_callable("monitor.settings", "Settings")
    LoggingSettings = lazy_callable("monitor.settings", "LoggingSettings")

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
EXIT_USAGE = 2
log = logging.getLogger("monitor.cli")


@dataclass
class CliState:
    config_path: Path
    verbose: int = 0
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Loaded on first use, so commands that need no config (``rules check PATH``) work without one."""
        if self._settings is None:
            self._settings = load_settings(self.config_path)
            configure_logging(self._settings.logging, self.verbose)
        return self._settings

    def settings_or_defaults(self) -> Settings:
        """The config's settings, or the defaults when no config file exists (rule authoring needs none)."""
        if self._settings is None and not self.config_path.is_file():
            return Settings()
        return self.settings

    def database_settings(self) -> Settings:
        """The config's settings or, with no config file, the defaults plus ``NEWSMON_DATABASE_URL``: an
        installed package can create its database before anyone writes a config."""
        if self._settings is None and not self.config_path.is_file():
            fallback = database_only_settings()
            if fallback is not None:
                return fallback
        return self.settings

    @property
    def enrichment_settings(self) -> EnrichmentSettings:
        return self.settings_or_defaults().enrichment


def fail(message: str) -> None:
    click.echo(f"newsmon: {message}", err=True)
    sys.exit(EXIT_USAGE)


def handles_errors(func: F) -> F:
    """Map MonitorError to its message on stderr and exit 2; tracebacks only with -v."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LocatedError as exc:
            log.debug("located error", exc_info=True)
            for line in str(exc).splitlines():
                click.echo(line, err=True)
            sys.exit(EXIT_USAGE)
        except MonitorError as exc:
            log.debug("error", exc_info=True)
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def pass_state(func: F) -> F:
    return click.pass_obj(func)  # type: ignore[return-value]


def setup_logging(verbose: int) -> None:
    configure_logging(LoggingSettings(), verbose)


_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str | None, now: datetime) -> datetime | None:
    """``30d``, ``12h``, ``90m`` ago, or an ISO date/time (UTC if no zone)."""
    if value is None:
        return None
    found = _DURATION.match(value.strip())
    if found:
        return now - timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is neither a duration like 30d/12h nor an ISO date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        "-c",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Config file (default: $NEWSMON_CONFIG or config/demo.yaml).",
    )(func)


def resolve_config(path: Path | None) -> Path:
    return path or default_config_path()


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document instead of text (for scripts, jq)."
    )(func)


def echo_json(value: object) -> None:
    """``value`` (dataclasses, mappings, sequences, datetimes, paths) as one JSON document on stdout."""
    click.echo(json.dumps(jsonable(value), ensure_ascii=False, sort_keys=False))


def jsonable(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, with asyncio imported here: the event loop's modules (~20 ms) load only for the
    commands that poll or fetch, not for ``--help``, ``status`` or the listings."""
    import asyncio

    return asyncio.run(coroutine)
