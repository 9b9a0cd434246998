"""``type: match`` — Sigma-style named selections and a boolean condition over their names.

Compiling checks, and reports with locations, everything a person can get wrong here: selection names,
each selection's keys and values (through the predicate registry), regexes, the condition's syntax, names
the condition uses but no selection defines (an error) and selections the condition never uses (a warning).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from monitor.rules import condition
from monitor.rules.compiled import Matcher, Selection, SelectionMatcher
from monitor.rules.predicates import (
    CompiledPredicate,
    PredicateScope,
    RelPath,
    predicate_kinds,
    selection_model,
)
from monitor.rules.reporter import Reporter
from monitor.rules.rule_types import RuleType, register_rule_type
from monitor.rules.schema import OPTION_NAMES, SELECTION_NAME_PATTERN, MatchBody, SelectionOptions
from monitor.settings.yaml_source import validation_problems


def build(body: MatchBody, reporter: Reporter) -> Matcher | None:
    selections = {}
    for name, raw in body.match.items():
        selection = _selection(name, raw, reporter)
        if selection is not None:
            selections[name] = selection
    expr, text = _condition(body, reporter)
    if expr is None or reporter.failed or len(selections) != len(body.match):
        return None
    return SelectionMatcher(selections, expr, text)


def _selection(name: str, raw: Mapping[str, Any], reporter: Reporter) -> Selection | None:
    path = ("match", name)
    if not _valid_name(name, reporter, path):
        return None
    model = selection_model()
    try:
        spec = model.model_validate(raw)
    except ValidationError as exc:
        reporter.extend(validation_problems(exc, reporter.document, (*reporter.base, *path), model=model))
        return None
    options = SelectionOptions.model_validate({key: getattr(spec, key) for key in OPTION_NAMES})
    kinds = predicate_kinds()
    written = [key for key in raw if key in kinds]
    if not written:
        known = ", ".join(kinds)
        reporter.error(reporter.key_at(path), f"selection '{name}' has no predicate", f"use one of: {known}")
        return None
    predicates: list[CompiledPredicate] = []
    for key in written:
        scope = PredicateScope(_report_under(reporter, (*path, key)), frozenset())
        compiled = kinds[key].compile(getattr(spec, key), options, scope)
        if compiled is not None:
            predicates.append(compiled)
    if len(predicates) != len(written):
        return None
    return Selection(name, tuple(predicates), reporter.key_at(path))


def _valid_name(name: str, reporter: Reporter, path: tuple[str, ...]) -> bool:
    if not re.fullmatch(SELECTION_NAME_PATTERN, name):
        reporter.error(
            reporter.key_at(path),
            f"selection name '{name}' is not a plain name",
            "use letters, digits and '_', starting with a letter",
        )
        return False
    if name.lower() in condition.RESERVED:
        reporter.error(
            reporter.key_at(path), f"selection name '{name}' is a reserved word of the condition language"
        )
        return False
    return True


def _report_under(
    reporter: Reporter, path: tuple[str, ...]
) -> Callable[[RelPath, str, str | None, str], None]:
    """A predicate's problem reporter: its paths are relative to its own value."""

    def report(rel: tuple[str | int, ...], message: str, hint: str | None, severity: str) -> None:
        where = reporter.value_at((*path, *rel))
        if severity == "error":
            reporter.error(where, message, hint)
        else:
            reporter.warning(where, message, hint)

    return report


def _condition(body: MatchBody, reporter: Reporter) -> tuple[condition.Expr | None, str]:
    names = list(body.match)
    if body.condition is None:
        return condition.all_of(names), " and ".join(names)
    where = reporter.value_at(("condition",))
    try:
        expr = condition.parse(body.condition)
    except condition.ConditionError as exc:
        ended = exc.offset >= len(body.condition.rstrip())  # the message already says the condition ended
        position = "" if ended else f" at character {exc.offset + 1}"
        reporter.error(where, f"condition: {exc.message}{position}", exc.hint)
        return None, body.condition
    ok = True
    for used in condition.names(expr):
        if used.name not in body.match:
            close = difflib.get_close_matches(used.name, names, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"selections: {', '.join(names)}"
            reporter.error(where, f"condition: unknown selection '{used.name}'", hint)
            ok = False
    used_names = {used.name for used in condition.names(expr)}
    for name in names:
        if name not in used_names:
            reporter.warning(
                reporter.key_at(("match", name)), f"selection '{name}' is not used in the condition"
            )
    return (expr if ok else None), " ".join(body.condition.split())


register_rule_type(RuleType("match", MatchBody, build, "named selections combined by a boolean condition"))
