"""One rule mapping → one compiled ``Rule``, with every problem in it located.

The metadata (``RuleMeta``) and the type's body (``MatchBody``, ``StateBody``) are validated separately,
so a bad severity never hides a bad regex. Keys that belong to neither are reported once, with a
did-you-mean over both. The key template, ``new_term`` and the examples' ``expect`` entries are checked
against the captures the rule can actually produce; the memory keys become the rule's gates.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from monitor.errors import SourceLocation
from monitor.rules import (
    arguments,
    entities,
    keytemplate,
    match_type,
    phrases,
    quantities,
    regexes,
    state_type,
)
from monitor.rules.compiled import Example, Matcher, Rule
from monitor.rules.gates import ChangeGate, FlatlineGate, FrequencyGate, Gate, NewTermGate, ThrottleGate
from monitor.rules.numbers import Change
from monitor.rules.reporter import Reporter
from monitor.rules.rule_types import DEFAULT_TYPE, RuleType, rule_types
from monitor.rules.schema import MatchBody, MatchExampleSpec, NoMatchExampleSpec, RuleMeta, StateBody
from monitor.settings.yaml_source import validation_problems

# the built-in predicates and rule types register themselves on import (listed by their ``order``)
_BUILT_INS = (phrases, regexes, entities, quantities, arguments, match_type, state_type)


def compile_rule(raw: Mapping[str, Any], reporter: Reporter) -> Rule | None:
    """Compile ``raw``; returns None when it has errors (they are in ``reporter.problems``)."""
    rule_type = _rule_type(raw, reporter)
    if rule_type is not None:
        body_keys = set(rule_type.body.model_fields)
    else:  # the type is wrong; do not also call its body keys unknown
        body_keys = {key for known in rule_types().values() for key in known.body.model_fields}
    _unknown_keys(raw, body_keys, reporter)
    meta = _validate(RuleMeta, {k: v for k, v in raw.items() if k in RuleMeta.model_fields}, reporter)
    matcher, body = None, None
    if rule_type is not None:  # its own reporter: the body compiles or not whatever the metadata says
        own = Reporter(reporter.document, reporter.base)
        written = {k: v for k, v in raw.items() if k in body_keys}
        if raw.get("version") == 2 and "scope" in body_keys:
            written.setdefault("scope", "paragraph")  # version 2: conditions hold within one paragraph
        body = _validate(rule_type.body, written, own)
        matcher = rule_type.build(body, own) if body is not None else None
        reporter.extend(own.problems)
    # check what the rest of the rule says even when some part is broken: every problem in one run
    checked = meta if isinstance(meta, RuleMeta) else _lenient_meta(raw)
    if checked is None:
        return None
    captures = matcher if matcher is not None else _captures_of_parts(body, reporter)
    _check_key(checked.key, captures, reporter)
    gates = _gates(checked, captures, reporter)
    examples = _examples(checked, captures, reporter)
    if meta is None or matcher is None or reporter.failed:
        return None
    assert isinstance(meta, RuleMeta)
    if not examples:
        reporter.warning(
            reporter.value_at(("id",)),
            f"rule '{meta.id}' has no examples",
            "add examples: {match: [...], no_match: [...]} so 'newsmon rules test' can check it",
        )
    return Rule(
        id=meta.id,
        title=meta.title,
        type=meta.type,
        matcher=matcher,
        location=reporter.key_at(()),
        description=meta.description,
        severity=str(meta.severity),
        tags=meta.tags,
        status=str(meta.status),
        owner=meta.owner,
        notify=meta.notify,
        key=meta.key,
        version=meta.version,
        examples=examples,
        gates=gates,
    )


class _AnyName(frozenset[str]):
    """The capture names of a rule whose selections did not compile: unknown, so any name may be one."""

    def __contains__(self, name: object) -> bool:
        return True


@dataclass(frozen=True)
class _CapturesOnly:
    """Stands in for a matcher that failed to compile: the capture names the checks compare against."""

    capture_names: frozenset[str] = _AnyName()
    selections: Mapping[str, Any] = field(default_factory=dict)


_UNKNOWN_CAPTURES: Any = _CapturesOnly()


def _captures_of_parts(body: BaseModel | None, reporter: Reporter) -> Any:
    """What a rule whose matcher failed (a condition typo, a bad reference) would capture, if every
    selection compiles on its own; unknown otherwise, so the key and ``expect`` are not wrongly blamed."""
    if not isinstance(body, MatchBody):
        return _UNKNOWN_CAPTURES
    names: set[str] = set(body.match)
    for name, raw in body.match.items():
        selection = match_type.compile_selection(name, raw, Reporter(reporter.document, reporter.base))
        if selection is None:
            return _UNKNOWN_CAPTURES
        names |= selection.capture_names
    if isinstance(body, StateBody):
        names |= {"state", "state_text"}
    return _CapturesOnly(frozenset(names))


def _lenient_meta(raw: Mapping[str, Any]) -> RuleMeta | None:
    """The metadata without the keys that have errors (already reported), to check the rest against."""
    data = {k: v for k, v in raw.items() if k in RuleMeta.model_fields}
    try:
        return RuleMeta.model_validate(data)
    except ValidationError as exc:
        broken = {str(detail["loc"][0]) for detail in exc.errors() if detail["loc"]}
    kept = {k: v for k, v in data.items() if k not in broken}
    kept.setdefault("id", "invalid")
    kept.setdefault("title", "invalid")
    try:
        return RuleMeta.model_validate(kept)
    except ValidationError:
        return None


def _rule_type(raw: Mapping[str, Any], reporter: Reporter) -> RuleType | None:
    name = raw.get("type", DEFAULT_TYPE)
    known = rule_types()
    if isinstance(name, str) and name in known:
        return known[name]
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"known types: {', '.join(known)}"
    reporter.error(reporter.value_at(("type",)), f"unknown rule type '{name}'", hint)
    return None


def _unknown_keys(raw: Mapping[str, Any], body_keys: set[str], reporter: Reporter) -> None:
    known = [*RuleMeta.model_fields, *sorted(body_keys)]
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else None
            reporter.error(reporter.key_at((str(key),)), f"unknown key '{key}'", hint)


def _validate(model: type[BaseModel], data: Mapping[str, Any], reporter: Reporter) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        reporter.extend(validation_problems(exc, reporter.document, reporter.base, model=model))
        return None


def _check_key(template: str, matcher: Matcher, reporter: Reporter) -> None:
    where = reporter.value_at(("key",))
    try:
        names = keytemplate.placeholders(template)
    except ValueError as exc:
        reporter.error(where, str(exc))
        return
    for name in names:
        if name not in matcher.capture_names:
            reporter.error(
                where,
                f"key template uses '{{{name}}}', which this rule never captures",
                _known(name, matcher),
            )


def _known(name: str, matcher: Matcher) -> str:
    names = sorted(matcher.capture_names)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"captures: {', '.join(names) or 'none'}"


def _gates(meta: RuleMeta, matcher: Matcher, reporter: Reporter) -> tuple[Gate, ...]:
    """The rule's memory, in the order gates run (see ``gates.py``)."""
    gates: list[Gate] = []
    own = getattr(matcher, "gate", None)
    if own is not None:
        gates.append(own)
    if meta.new_term is not None:
        if meta.new_term.field not in matcher.capture_names:
            where = reporter.value_at(("new_term", "field"))
            reporter.error(
                where,
                f"new_term: this rule never captures '{meta.new_term.field}'",
                _known(meta.new_term.field, matcher),
            )
        gates.append(
            NewTermGate(meta.new_term.field, meta.new_term.within, meta.new_term.when_empty == "alert")
        )
    changes = [
        (name, change)
        for name, selection in matcher.selections.items()
        for predicate in selection.predicates
        if isinstance(change := getattr(predicate, "change", None), Change)
    ]
    for name, _ in changes[1:]:
        where = reporter.value_at(("match", name, "quantity", "changed_by"))
        reporter.error(
            where, "only one quantity of a rule may say changed_by", "the rule remembers one figure per key"
        )
    if changes:
        gates.append(ChangeGate(changes[0][1]))
    if meta.frequency is not None:
        gates.append(
            FrequencyGate(meta.frequency.count, meta.frequency.within, meta.frequency.distinct_sources)
        )
    if meta.flatline is not None:
        _alone("flatline", meta, bool(gates), reporter)
        gates.append(FlatlineGate(meta.flatline.within))
    if meta.realert is not None and meta.throttle is not None:
        reporter.error(
            reporter.key_at(("throttle",)),
            "write either realert or throttle, not both",
            "realert: 6h is throttle: {alerts: 1, per: 6h}",
        )
    if meta.realert is not None:
        gates.append(ThrottleGate(1, meta.realert))
    elif meta.throttle is not None:
        gates.append(ThrottleGate(meta.throttle.alerts, meta.throttle.per))
    return tuple(gates)


def _alone(name: str, meta: RuleMeta, others: bool, reporter: Reporter) -> None:
    if others or meta.realert is not None or meta.throttle is not None:
        reporter.error(
            reporter.key_at((name,)),
            f"{name} alerts on silence: it cannot be combined with state, new_term, changed_by, "
            "frequency, realert or throttle",
        )


def _examples(meta: RuleMeta, matcher: Matcher, reporter: Reporter) -> tuple[Example, ...]:
    examples = []
    lists: tuple[tuple[str, Sequence[MatchExampleSpec | NoMatchExampleSpec]], ...] = (
        ("match", meta.examples.match),
        ("no_match", meta.examples.no_match),
    )
    for expected, specs in lists:
        for index, spec in enumerate(specs):
            path = ("examples", expected, index)
            if isinstance(spec, MatchExampleSpec):
                _check_expect(spec, matcher, path, reporter)
            examples.append(_example(meta.id, expected, index, spec, reporter.value_at(path)))
    return tuple(examples)


def _example(
    rule_id: str,
    expected: str,
    index: int,
    spec: MatchExampleSpec | NoMatchExampleSpec,
    location: SourceLocation,
) -> Example:
    return Example(
        rule_id=rule_id,
        expected=expected,
        number=index + 1,
        location=location,
        title=spec.title,
        summary=spec.summary,
        content=spec.content,
        link=spec.link,
        feed=spec.feed,
        tags=spec.tags,
        expect=dict(spec.expect) if isinstance(spec, MatchExampleSpec) else {},
        key=spec.key if isinstance(spec, MatchExampleSpec) else None,
    )


def _check_expect(
    spec: MatchExampleSpec, matcher: Matcher, path: tuple[str | int, ...], reporter: Reporter
) -> None:
    for name in spec.expect:
        if name != "matched" and name not in matcher.capture_names:
            where = reporter.key_at((*path, "expect", name))
            reporter.error(where, f"expect: this rule never captures '{name}'", _known(name, matcher))
