"""config/*.yaml + environment → one frozen ``Settings``; every problem reported at once with file:line.

This module is the only reader of ``os.environ`` in newsmon. ``${NAME}`` (or ``${NAME:-default}``) inside
any string value is replaced from the environment, so secrets (SMTP passwords, chat tokens) stay out of
the file. Relative paths (rules directories, ``file:`` feeds, a SQLite file) are resolved against the
directory of the config file, so the daemon behaves the same whatever directory it is started from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from monitor.errors import ConfigError, Problem
from monitor.settings.models import RulesSettings, Settings
from monitor.settings.yaml_source import LocatedDocument, load_file, mapping_or_problem, validation_problems

DEFAULT_CONFIG = Path("config/demo.yaml")
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$NEWSMON_CONFIG`` if set, else config/demo.yaml (the bundled demo)."""
    env = os.environ if environ is None else environ
    return Path(env.get("NEWSMON_CONFIG", str(DEFAULT_CONFIG)))


def database_only_settings(environ: Mapping[str, str] | None = None) -> Settings | None:
    """Defaults plus ``NEWSMON_DATABASE_URL``, for the commands that need only the database (``db …``)
    when there is no config file; None when the variable is not set."""
    env = os.environ if environ is None else environ
    url = env.get("NEWSMON_DATABASE_URL")
    if not url:
        return None
    return Settings.model_validate({"database": {"url": url}, "source": "$NEWSMON_DATABASE_URL"})


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read, interpolate, validate and resolve one config file; raise ConfigError listing every problem.

    ``NEWSMON_DATABASE_URL`` in the environment overrides ``database.url`` (handy for containers and
    for pointing the same config at PostgreSQL).
    """
    env = dict(os.environ if environ is None else environ)
    display = _display_name(path)
    if not path.is_file():
        raise ConfigError(
            [
                Problem(
                    _nowhere(display),
                    "config file not found",
                    hint="pass --config PATH or set NEWSMON_CONFIG",
                )
            ]
        )
    documents = load_file(path, display)
    if len(documents) != 1:
        raise ConfigError([Problem(_nowhere(display), "a config file must hold exactly one YAML document")])
    document = documents[0]
    if document.data is None:
        raise ConfigError(document.problems or [Problem(_nowhere(display), "empty config file")])
    data = mapping_or_problem(document, "the config file")
    if data is None:
        raise ConfigError(document.problems)
    problems = list(document.problems)
    data = _interpolate(data, (), document, env, problems)
    if env.get("NEWSMON_DATABASE_URL"):
        data = {**data, "database": {**(data.get("database") or {}), "url": env["NEWSMON_DATABASE_URL"]}}
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, document, model=Settings))
        raise ConfigError(problems) from None
    settings = _resolve(settings, path.parent, document, problems)
    if problems:
        raise ConfigError(problems)
    return settings


def rule_paths_despite_errors(path: Path) -> list[Path]:
    """The existing rule paths a config file names (``rules.paths``, else the default folder), read even when
    the rest of the file is invalid: ``newsmon check`` reports the rules' problems beside the config's."""
    try:
        documents = load_file(path, _display_name(path))
    except (ConfigError, OSError):
        return []
    data = documents[0].data if len(documents) == 1 else None
    section = data.get("rules") if isinstance(data, dict) else None
    named = section.get("paths") if isinstance(section, dict) else None
    if named is None:
        named = [str(p) for p in RulesSettings().paths]
    if isinstance(named, str):
        named = [named]
    if not isinstance(named, list):
        return []
    candidates = [
        Path(p) if Path(p).is_absolute() else (path.parent / p).resolve() for p in named if isinstance(p, str)
    ]
    return [candidate for candidate in candidates if "${" not in str(candidate) and candidate.exists()]


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _nowhere(display: str) -> Any:
    from monitor.errors import SourceLocation

    return SourceLocation(display)


def _interpolate(
    value: Any,
    path: tuple[str | int, ...],
    doc: LocatedDocument,
    env: Mapping[str, str],
    problems: list[Problem],
) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, (*path, str(k)), doc, env, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, (*path, i), doc, env, problems) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def substitute(found: re.Match[str]) -> str:
        name, default = found.group(1), found.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        problems.append(
            Problem(
                doc.locate((*path, "__value__")),
                f"environment variable {name} is not set",
                hint=f"export {name}=... or write ${{{name}:-default}}",
            )
        )
        return ""

    return _ENV_REFERENCE.sub(substitute, value)


def _resolve(settings: Settings, base: Path, doc: LocatedDocument, problems: list[Problem]) -> Settings:
    """Absolute paths, file: URLs and SQLite files; duplicate names; rule paths that exist."""
    rule_paths = []
    for index, rule_path in enumerate(settings.rules.paths):
        resolved = rule_path if rule_path.is_absolute() else (base / rule_path).resolve()
        if not resolved.exists() and "rules" not in settings.model_fields_set:
            continue  # the default folder, absent: no rules yet (the daemon says so), not an error
        if not resolved.exists():
            problems.append(
                Problem(doc.locate(("rules", "paths", index, "__value__")), f"no such path: {resolved}")
            )
        rule_paths.append(resolved)
    watchlists = []
    for index, watch_path in enumerate(settings.enrichment.watchlists):
        resolved = watch_path if watch_path.is_absolute() else (base / watch_path).resolve()
        if not resolved.exists():
            problems.append(
                Problem(
                    doc.locate(("enrichment", "watchlists", index, "__value__")), f"no such path: {resolved}"
                )
            )
        watchlists.append(resolved)
    feeds = []
    seen_urls: dict[str, int] = {}
    for index, feed in enumerate(settings.feeds):
        url = _resolve_file_url(feed.url, base)
        if url in seen_urls:
            problems.append(
                Problem(
                    doc.locate(("feeds", index, "url", "__value__")),
                    f"feed {url} is listed twice",
                    hint=f"first at {doc.locate(('feeds', seen_urls[url], 'url', '__value__'))}",
                )
            )
        seen_urls.setdefault(url, index)
        feeds.append(
            feed.model_copy(
                update={
                    "url": url,
                    "name": feed.name or _name_from_url(url),
                    "interval_s": feed.interval_s or settings.polling.default_interval_s,
                }
            )
        )
    seen_names: set[str] = set()
    for index, subscriber in enumerate(settings.subscribers):
        if subscriber.name in seen_names:
            problems.append(
                Problem(
                    doc.locate(("subscribers", index, "name", "__value__")),
                    f"duplicate subscriber '{subscriber.name}'",
                )
            )
        seen_names.add(subscriber.name)
    return settings.model_copy(
        update={
            "rules": settings.rules.model_copy(update={"paths": tuple(rule_paths)}),
            "enrichment": settings.enrichment.model_copy(update={"watchlists": tuple(watchlists)}),
            "feeds": tuple(feeds),
            "database": settings.database.model_copy(
                update={"url": _resolve_sqlite(settings.database.url, base)}
            ),
            "source": doc.file,
            "locations": _flatten_locations(doc),
        }
    )


def _resolve_file_url(url: str, base: Path) -> str:
    if not url.startswith("file:"):
        return url
    raw = unquote(urlsplit(url).path) if url.startswith("file://") else url[len("file:") :]
    path = Path(raw)
    return (path if path.is_absolute() else (base / path).resolve()).as_uri()


def _resolve_sqlite(url: str, base: Path) -> str:
    prefix = next((p for p in ("sqlite:///", "sqlite+pysqlite:///") if url.startswith(p)), None)
    if prefix is None or url == prefix or url[len(prefix) :].startswith((":memory:", "/")):
        return url
    return prefix + str((base / url[len(prefix) :]).resolve())


def _name_from_url(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or Path(parts.path).stem or url


def _flatten_locations(doc: LocatedDocument) -> dict[str, str]:
    located: dict[str, str] = {}
    for path, where in doc.locations.items():
        if path and path[-1] == "__value__":  # a mapping value: where the value starts, not its key
            located[".".join(str(p) for p in path[:-1])] = str(where)
        else:
            located.setdefault(".".join(str(p) for p in path), str(where))
    return located
