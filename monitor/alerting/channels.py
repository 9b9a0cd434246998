"""Channel URLs: the built-in channels, checking every subscriber URL at start-up, and masking secrets.

A channel is an apprise URL (``mailto://…``, ``json://…``, ``ntfy://…``) or one of ours, registered through
apprise's own extension point exactly like an add-on would be: ``console://`` and ``jsonl:///path``
(``BUILTIN_CHANNELS``, registered by ``registry.py`` when apprise is first needed). apprise answers a bad
URL with None and a log line rather than an exception, so ``validate_channels`` instantiates each URL, and
turns a None into a located Problem with apprise's reason.

Channel URLs carry secrets (tokens, passwords). Nothing here or in apprise's log output shows one: a filter
on apprise's logger masks every URL it logs with ``masking.mask``, the one masking rule.

apprise is imported inside the functions that use it, from ``registry`` (see there why): reading a config's
channels, routing and the outbox's bookkeeping never load it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from pathlib import Path

from monitor.alerting import console, jsonl
from monitor.alerting.masking import redact_urls
from monitor.errors import Problem, SourceLocation
from monitor.settings.models import Settings, SubscriberSettings

BUILTIN_CHANNELS: dict[str, tuple[str, Callable[..., bool]]] = {
    console.SCHEME: ("newsmon console", console.send),
    jsonl.SCHEME: ("newsmon JSON lines file", jsonl.send),
}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_FORMAT_NAMES = {"text": "text", "markdown": "markdown", "html": "html"}


def scheme_of(url: str) -> str | None:
    found = _SCHEME.match(url)
    return found.group(1).lower() if found else None


@functools.lru_cache(maxsize=1024)
def body_format(url: str, preferred: str = "auto") -> str:
    """The body format for ``url``: ``preferred`` unless "auto", then what the channel's service prefers.

    apprise knows each service's native format (HTML for e-mail, Markdown for Slack, text for ntfy or a
    JSON webhook); ours print text. HTML e-mail goes out as multipart text + HTML.
    """
    if preferred != "auto":
        return preferred
    scheme = scheme_of(url)
    if scheme is None or scheme in BUILTIN_CHANNELS:
        return "text"
    from monitor.alerting.registry import apprise

    plugin = apprise.Apprise.instantiate(url)
    native = getattr(plugin, "notify_format", None) if plugin else None
    first = native[0] if isinstance(native, tuple | list) and native else native
    return _FORMAT_NAMES.get(str(getattr(first, "value", first)), "text")


def channels_of(settings: Settings, subscriber: SubscriberSettings) -> tuple[str, ...]:
    """Every channel URL of ``subscriber``: its ``urls``, then those of its apprise config file (by tag)."""
    if subscriber.apprise_config is None:
        return subscriber.urls
    path = str(config_relative(settings, subscriber.apprise_config))
    return (*subscriber.urls, *_config_urls(path, subscriber.apprise_tags))


def config_relative(settings: Settings, path: Path) -> Path:
    """``path`` as written in the config, resolved against the config file's folder."""
    if path.is_absolute() or settings.source.startswith("<"):
        return path
    return (Path(settings.source).parent / path).resolve()


@functools.lru_cache(maxsize=64)
def _config_urls(path: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    """The URLs of an apprise config file with one of ``tags`` (all when none), read once per process."""
    from monitor.alerting.registry import apprise

    config = apprise.AppriseConfig()
    config.add(path)
    wanted = set(tags)
    return tuple(
        str(service.url(privacy=False))
        for service in config.services()
        if not wanted or wanted & {str(tag) for tag in service.tags}
    )


def channel_problem(url: str) -> tuple[str, str] | None:
    """(message, hint) saying why apprise cannot use ``url``, or None when it can."""
    from monitor.alerting.registry import NotificationManager, apprise

    scheme = scheme_of(url)
    if scheme is None:
        return "not a channel URL", "a channel is an apprise URL such as mailto://…, json://… or console://"
    if scheme not in NotificationManager():
        return (
            f"unknown channel scheme '{scheme}://'",
            "use console://, jsonl:///path/file.jsonl or an apprise service such as mailto://, json://, ntfy://",
        )
    if scheme == jsonl.SCHEME:
        reason = jsonl.path_problem(url)
        return (reason, "three slashes, then the path: jsonl:///var/newsmon/alerts.jsonl") if reason else None
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        plugin = apprise.Apprise.instantiate(url)
    if plugin:
        return None
    reasons = "; ".join(line for line in captured.getvalue().splitlines() if line.strip())
    return (
        f"apprise cannot use this {scheme}:// URL" + (f": {reasons}" if reasons else ""),
        f"see apprise's documentation of {scheme}:// for the URL form",
    )


def validate_channels(settings: Settings) -> list[Problem]:
    """A located Problem for every subscriber URL apprise cannot use (empty when all are fine)."""
    problems: list[Problem] = []
    for i, subscriber in enumerate(settings.subscribers):
        problems.extend(_config_file_problems(settings, i, subscriber))
        for j, url in enumerate(subscriber.urls):
            found = channel_problem(url)
            if found is None:
                continue
            message, hint = found
            location = parse_location(settings.location_of(f"subscribers.{i}.urls.{j}"))
            problems.append(Problem(location, f"subscriber {subscriber.name!r}: {message}", hint=hint))
    return problems


def _config_file_problems(settings: Settings, index: int, subscriber: SubscriberSettings) -> list[Problem]:
    """An apprise config file that cannot be read, or yields no usable URL for the subscriber's tags."""
    if subscriber.apprise_config is None:
        return []
    path = config_relative(settings, subscriber.apprise_config)
    location = parse_location(settings.location_of(f"subscribers.{index}.apprise_config"))
    name = f"subscriber {subscriber.name!r}"
    if not path.is_file():
        return [Problem(location, f"{name}: no such apprise config file: {path}")]
    from monitor.alerting.registry import apprise

    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        found = _config_urls(str(path), subscriber.apprise_tags)
    if found:
        return [Problem(location, f"{name}: {path}: {reason}") for reason in _reasons(captured.getvalue())]
    tags = f" tagged {', '.join(subscriber.apprise_tags)}" if subscriber.apprise_tags else ""
    reasons = "; ".join(_reasons(captured.getvalue()))
    return [
        Problem(
            location,
            f"{name}: {path} has no usable channel URL{tags}" + (f" ({reasons})" if reasons else ""),
            hint="an apprise config file: 'urls:' with one URL per item, each with an optional 'tag:'",
        )
    ]


def _reasons(log_text: str) -> list[str]:
    return [redact_urls(line) for line in log_text.splitlines() if line.strip()]


def parse_location(text: str) -> SourceLocation:
    """``"config/a.yaml:21:9"`` (or ``…:21``, or a bare file name) back into a SourceLocation."""
    head, _, last = text.rpartition(":")
    if not (head and last.isdigit()):
        return SourceLocation(text)
    file, _, previous = head.rpartition(":")
    if file and previous.isdigit():
        return SourceLocation(file, int(previous), int(last))
    return SourceLocation(head, int(last))
