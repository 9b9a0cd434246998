"""Everything that can be wrong before the first poll, found at once: config, rules, channels, templates.

``newsmon check`` prints these; the daemon refuses to start on any error (a bad rule found at 3 am is a
rule found too late).
"""

from __future__ import annotations

from pathlib import Path

from monitor import rules
from monitor.errors import Problem, RuleError
from monitor.pipeline.authoring import rule_vocabulary
from monitor.settings import Settings


def check_configuration(settings: Settings) -> list[Problem]:
    """Errors and warnings of the rules, the subscriber channels and the alert templates."""
    from monitor import alerting  # apprise: only the commands that check subscribers load it

    paths = list(settings.rules.paths)
    vocabulary = rule_vocabulary(settings.enrichment, paths)
    problems = list(rules.check_rules(paths, vocabulary=vocabulary))
    problems.extend(alerting.validate_subscribers(settings))
    try:
        ruleset = rules.load_rules(paths, vocabulary)
    except RuleError:
        return problems  # the rules' errors are reported above
    described = [(r.id, r.tags, r.severity, r.notify, r.location) for r in ruleset.rules]
    problems.extend(alerting.unreached_rules(settings, described))
    return problems


def check_rules_only(paths: list[Path]) -> list[Problem]:
    """The rules' problems alone, for a config too broken to load: reported beside its own errors."""
    return list(rules.check_rules(paths)) if paths else []


def setting_problem(settings: Settings, dotted: str, message: str, hint: str | None = None) -> Problem:
    """A Problem located where the config sets ``dotted`` (or at the config file when it is a default)."""
    from monitor import alerting

    return Problem(alerting.parse_location(settings.location_of(dotted)), message, hint=hint)


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
