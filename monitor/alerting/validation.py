"""Start-up checks of everything about subscribers, each problem located at its file:line.

Channel URLs (``channels.validate_channels``), digest schedules, template override folders and the
templates found through them, and inhibitions naming rules that do not exist. Run by ``newsmon check``
and before the daemon starts, so a typo in a cron field or a template is found then, not at 08:00.

What is not configured is not loaded: no subscriber, no apprise (nothing to validate); no subscriber and
no template folder, no jinja2 (no alert can be rendered, and the shipped templates are tested with the
code). A poll that alerts nobody starts without either.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from monitor.alerting.channels import config_relative, parse_location, validate_channels
from monitor.alerting.cron import CronSyntaxError, parse_cron
from monitor.alerting.routing import receives_rule
from monitor.errors import Problem, SourceLocation
from monitor.settings.models import Settings, SubscriberSettings


def validate_subscribers(settings: Settings, rule_ids: Collection[str] | None = None) -> list[Problem]:
    """Every problem of the subscribers and the alerting section; ``rule_ids`` enables the rule checks."""
    problems = validate_channels(settings)
    for index, subscriber in enumerate(settings.subscribers):
        problems.extend(_schedule_problems(settings, index, subscriber))
    problems.extend(_folder_problems(settings))
    if not any(p.message.startswith("no such template folder") for p in problems):
        problems.extend(_template_problems(settings))
    if rule_ids is not None:
        problems.extend(_inhibit_problems(settings, rule_ids))
    return problems


def template_search(
    settings: Settings, subscriber: SubscriberSettings | None, rule_id: str
) -> tuple[Path, ...]:
    """The override folders for one subscriber and rule, most specific first, those that exist.

    ``<subscriber templates>/<rule id>``, ``<subscriber templates>``, ``<alerting.templates>/<rule id>``,
    ``<alerting.templates>``; the shipped templates come after all of them.
    """
    search: list[Path] = []
    for base in (subscriber.templates if subscriber else None, settings.alerting.templates):
        if base is None:
            continue
        folder = config_relative(settings, base)
        candidates = (folder / rule_id, folder) if rule_id else (folder,)
        search.extend(path for path in candidates if path.is_dir())
    return tuple(search)


def _schedule_problems(settings: Settings, index: int, subscriber: SubscriberSettings) -> list[Problem]:
    written = f"subscribers.{index}.digest_schedule"
    if subscriber.mode != "digest" and written not in settings.locations:
        return []
    try:
        parse_cron(subscriber.digest_schedule)
    except CronSyntaxError as exc:
        location = parse_location(settings.location_of(written))
        hint = (
            "five fields in the subscriber's time zone, e.g. '0 8 * * *' (08:00 daily) or '30 7 * * mon-fri'"
        )
        return [Problem(location, f"subscriber {subscriber.name!r}: digest_schedule: {exc}", hint=hint)]
    return []


def _folder_problems(settings: Settings) -> list[Problem]:
    problems = []
    written = [("alerting.templates", settings.alerting.templates)]
    written += [(f"subscribers.{i}.templates", s.templates) for i, s in enumerate(settings.subscribers)]
    for dotted, folder in written:
        if folder is not None and not config_relative(settings, folder).is_dir():
            location = parse_location(settings.location_of(dotted))
            message = f"no such template folder: {config_relative(settings, folder)}"
            problems.append(
                Problem(location, message, hint="a folder of *.j2 files overriding the shipped ones")
            )
    return problems


def _template_problems(settings: Settings) -> list[Problem]:
    """Load every search path an alert can use: each subscriber's, with and without each rule folder."""
    if not settings.subscribers and settings.alerting.templates is None:
        return []  # no subscriber, no alert to render: see the docstring of this module
    from monitor.alerting.templates import check_templates  # jinja2

    searches: set[tuple[Path, ...]] = {()}
    for subscriber in (None, *settings.subscribers):
        searches.add(template_search(settings, subscriber, ""))
        for base in (subscriber.templates if subscriber else None, settings.alerting.templates):
            if base is None or not config_relative(settings, base).is_dir():
                continue
            for rule_folder in config_relative(settings, base).iterdir():
                if rule_folder.is_dir():
                    searches.add(template_search(settings, subscriber, rule_folder.name))
    problems: list[Problem] = []
    for search in sorted(searches):
        problems.extend(p for p in check_templates(overrides=search) if p not in problems)
    return problems


def _inhibit_problems(settings: Settings, rule_ids: Collection[str]) -> list[Problem]:
    problems = []
    for index, inhibit in enumerate(settings.alerting.inhibit):
        for part in ("source_rule", "target_rule"):
            name = getattr(inhibit, part)
            if name not in rule_ids:
                location = parse_location(settings.location_of(f"alerting.inhibit.{index}.{part}"))
                problems.append(Problem(location, f"inhibit: no rule with id {name!r}", severity="warning"))
    return problems


def unreached_rules(
    settings: Settings,
    rules: Collection[tuple[str, tuple[str, ...], str, tuple[str, ...], SourceLocation]],
) -> list[Problem]:
    """A warning per rule (id, tags, severity, notify, where) whose alerts would reach no subscriber."""
    problems = []
    for rule_id, tags, severity, notify, location in rules:
        if any(receives_rule(s, rule_id, tags, severity, notify) for s in settings.subscribers):
            continue
        named = f"notifies {', '.join(notify)}, " if notify else ""
        problems.append(
            Problem(
                location,
                f"rule {rule_id!r} {named}but no subscriber receives its alerts",
                hint="add the group to a subscriber's groups, or check the subscribers' rules/tags/min_severity",
                severity="warning",
            )
        )
    return problems
