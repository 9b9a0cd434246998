"""``type: match`` — Sigma-style named selections and a boolean condition over their names.

Compiling checks, and reports with locations, everything a person can get wrong here: selection names,
each selection's keys and values (through the predicate registry), regexes, proximity references (unknown,
self-referring or circular), the condition's syntax, names the condition uses but no selection defines
(errors), and — as warnings — selections the condition never uses, selections that can never change its
outcome, and conditions that are always true or always false. ``type: state`` reuses all of it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from monitor.rules import condition
from monitor.rules.compiled import Matcher, SelectionMatcher
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
from monitor.rules.selection import Constraint, Distance, Near, SameSentence, Selection
from monitor.settings.yaml_source import validation_problems

Compiled = tuple[dict[str, Selection], condition.Expr, str]
"""The selections, the condition, and the condition as written."""


def build(body: MatchBody, reporter: Reporter) -> Matcher | None:
    compiled = build_selections(body, reporter)
    return None if compiled is None else SelectionMatcher(*compiled, body.scope, body.captures)


def build_selections(
    body: MatchBody, reporter: Reporter, anchors: frozenset[str] = frozenset()
) -> Compiled | None:
    """The selections and the condition of ``body``; ``anchors`` are selections used outside the condition."""
    selections = {}
    for name, raw in body.match.items():
        selection = _selection(name, raw, reporter, frozenset(body.match))
        if selection is not None:
            selections[name] = selection
    if len(selections) != len(body.match):
        _condition(body, reporter, anchors)  # still report the condition's own problems
        return None
    _check_references(selections, reporter)
    for index, name in enumerate(body.captures):
        if name not in selections:
            where = reporter.value_at(("captures", index))
            reporter.error(where, f"captures: unknown selection '{name}'", _hint(name, selections))
    used_elsewhere = anchors | set(body.captures) | {n for s in selections.values() for n in s.references}
    expr, text = _condition(body, reporter, used_elsewhere)
    if expr is None or reporter.failed:
        return None
    return selections, expr, text


def compile_selection(name: str, raw: Mapping[str, Any], reporter: Reporter) -> Selection | None:
    """One selection on its own (the compiler uses it to learn captures when the rule as a whole fails)."""
    return _selection(name, raw, reporter)


def _selection(
    name: str, raw: Mapping[str, Any], reporter: Reporter, names: frozenset[str] = frozenset()
) -> Selection | None:
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
    for option in ("names", "years_before"):  # options only a regex reads: not silently ignored elsewhere
        if raw.get(option) and "regex" not in written:
            reporter.error(
                reporter.key_at((*path, option)), f"'{option}' applies to a regex only", "add a regex"
            )
            return None
    predicates: list[CompiledPredicate] = []
    for key in written:
        scope = PredicateScope(_report_under(reporter, (*path, key)), names - {name})
        compiled = kinds[key].compile(getattr(spec, key), options, scope)
        if compiled is not None:
            predicates.append(compiled)
    if len(predicates) != len(written):
        return None
    return Selection(
        name,
        _merged(predicates),
        reporter.key_at(path),
        _constraints(options),
        options.top,
        options.capture,
        options.otherwise,
        options.also,
        options.at_least,
        options.anywhere,
        options.nearby,
    )


def _merged(predicates: list[CompiledPredicate]) -> tuple[CompiledPredicate, ...]:
    """Fold predicates that describe one thing (``entity`` + ``watchlist``) into one, in written order."""
    folded: list[Any] = []
    positions: dict[str, int] = {}
    for predicate in predicates:
        key = getattr(predicate, "merge_key", None)
        if key is None:
            folded.append(predicate)
        elif key in positions:
            folded[positions[key]] = folded[positions[key]].merge(predicate)
        else:
            positions[key] = len(folded)
            folded.append(predicate)
    return tuple(folded)


def _constraints(options: SelectionOptions) -> tuple[Constraint, ...]:
    found: list[Constraint] = []
    if options.same_sentence_as:
        found.append(SameSentence(options.same_sentence_as))
    if options.same_paragraph_as:
        found.append(SameSentence(options.same_paragraph_as, paragraph=True))
    if options.near_paragraph_as:
        found.append(SameSentence(options.near_paragraph_as, paragraph=True, spill=options.near_paragraphs))
    if options.within:
        found.append(Near(tuple(Distance(w.of, w.words, w.side) for w in options.within)))
    if options.not_same_sentence_as:
        found.append(SameSentence(options.not_same_sentence_as, away=True))
    if options.not_same_paragraph_as:
        found.append(SameSentence(options.not_same_paragraph_as, away=True, paragraph=True))
    if options.not_within:
        found.append(Near(tuple(Distance(w.of, w.words, w.side) for w in options.not_within), away=True))
    return tuple(found)


def _check_references(selections: dict[str, Selection], reporter: Reporter) -> None:
    """Proximity must name other selections that exist, and never lead back to itself."""
    for name, selection in selections.items():
        for constraint in selection.constraints:
            named = [d.of for d in constraint.distances] if isinstance(constraint, Near) else constraint.names
            for index, other in enumerate(named):
                path = _reference_path(name, constraint, index)
                if other == name:
                    reporter.error(reporter.value_at(path), f"selection '{name}' cannot refer to itself")
                elif other not in selections:
                    reporter.error(
                        reporter.value_at(path), f"unknown selection '{other}'", _hint(other, selections)
                    )
    for name, selection in selections.items():
        fallbacks: list[tuple[tuple[str | int, ...], str]] = (
            [(("otherwise",), selection.otherwise)] if selection.otherwise else []
        )
        fallbacks += [(("also", index), other) for index, other in enumerate(selection.also)]
        for key, other in fallbacks:
            if other == name or other not in selections:
                message = (
                    f"selection '{name}' cannot refer to itself"
                    if other == name
                    else f"unknown selection '{other}'"
                )
                path = ("match", name, *key)
                reporter.error(reporter.value_at(path), message, _hint(other, selections))
    reported: set[frozenset[str]] = set()
    for name in selections:
        cycle = _cycle(name, selections, [])
        if len(cycle) > 1 and cycle[0] == name and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            reporter.error(
                reporter.key_at(("match", name)),
                f"selections refer to each other in a circle: {' → '.join([*cycle, name])}",
            )


def _reference_path(name: str, constraint: Constraint, index: int) -> RelPath:
    if isinstance(constraint, Near):
        return ("match", name, "not_within" if constraint.away else "within", index, "of")
    key = f"{'not_' if constraint.away else ''}same_{constraint.unit}_as"
    return ("match", name, key, index)


def _cycle(name: str, selections: Mapping[str, Selection], trail: list[str]) -> list[str]:
    if name in trail:
        return trail[trail.index(name) :]
    selection = selections.get(name)
    if selection is None:
        return []
    for other in selection.references:
        found = _cycle(other, selections, [*trail, name])
        if found:
            return found
    return []


def _hint(name: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"selections: {', '.join(known)}"


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


def _condition(
    body: MatchBody, reporter: Reporter, used_elsewhere: frozenset[str]
) -> tuple[condition.Expr | None, str]:
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
    unknown = [used for used in condition.names(expr) if used.name not in body.match]
    for used in unknown:
        reporter.error(where, f"condition: unknown selection '{used.name}'", _hint(used.name, body.match))
    if unknown:
        return None, body.condition
    _warn_unused(expr, names, used_elsewhere, reporter)
    return expr, " ".join(body.condition.split())


def _warn_unused(
    expr: condition.Expr, names: list[str], used_elsewhere: frozenset[str], reporter: Reporter
) -> None:
    used_names = {used.name for used in condition.names(expr)}
    for name in names:
        if name not in used_names and name not in used_elsewhere:
            reporter.warning(
                reporter.key_at(("match", name)), f"selection '{name}' is not used in the condition"
            )
    irrelevant, constant = condition.analyse(expr)
    if constant is not None:
        outcome = "holds for every article" if constant else "can never hold"
        reporter.warning(reporter.value_at(("condition",)), f"condition: {outcome}")
        return
    for name in names:
        if name in irrelevant:
            reporter.warning(
                reporter.key_at(("match", name)),
                f"selection '{name}' is unreachable: it can never change the outcome of the condition",
            )


register_rule_type(RuleType("match", MatchBody, build, "named selections combined by a boolean condition"))
