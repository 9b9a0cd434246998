"""The ``regex`` predicate: Python regular expression syntax, compiled once at load time, run in linear time.

Case-insensitive unless the selection says ``case: sensitive``; a regex that can match empty text is a
warning (it would hold everywhere, and an empty match is never evidence); named groups become captures.
The literals every match must contain (``literals.regex_literals``) let the prefilter skip the search.
Patterns run on RE2 where it means the same (``regex_engine.py``); a pattern that may need Python's
backtracking ``re`` must not nest repeats ambiguously (``regex_risk.py``): that is a located error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from monitor.domain import Span
from monitor.rules import literals
from monitor.rules.context import EvalContext, Hit, PredicateResult
from monitor.rules.predicates import (
    RESERVED_CAPTURES,
    PredicateKind,
    PredicateScope,
    register_predicate,
)
from monitor.rules.regex_engine import FoundMatch, RuleRegex, compile_rule_regex
from monitor.rules.regex_risk import ambiguous_nested_repeat
from monitor.rules.schema import SelectionOptions, not_empty


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


RegexList = Annotated[
    tuple[Annotated[str, StringConstraints(min_length=1)], ...],
    BeforeValidator(_one_or_many),
    AfterValidator(not_empty),
]

_EMPTY_PROBE = "a 1 .\nZ"


def can_match_empty(pattern: re.Pattern[str]) -> bool:  # the probe is tiny: re is safe here
    """True when the regex can succeed without consuming text (``a*``, ``(x)?``): it matches everywhere."""
    return pattern.fullmatch("") is not None or any(
        m.end() == m.start() for m in pattern.finditer(_EMPTY_PROBE)
    )


RECENT_TEXTS = 512
"""Texts whose matches each regex selection keeps: more than a processing batch's articles × fields."""

NAME_GROUP = "name"
"""With ``names: true``, the group holding the name when the match holds more ("- X FZE (…)" → ``- (?P<name>…)``)."""


@dataclass(frozen=True)
class AnyRegex:
    """``regex``: holds when any of the expressions matches (non-empty text); named groups become captures."""

    patterns: tuple[tuple[str, RuleRegex], ...]
    fields: tuple[str, ...]
    capture_names: frozenset[str]
    required_literals: frozenset[str] | None
    names: bool = False  # ``names: true``: each match (its ``name`` group) is a name, captured like an entity
    years_before: int = (
        0  # ``years_before: N``: only matches whose year is N or more years before publication
    )

    @property
    def checked_literals(self) -> frozenset[str]:
        return self.required_literals or frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        if not ctx.view.may_contain(self.required_literals):
            return PredicateResult(held=False)
        hits: list[Hit] = []
        for field_name in self.fields:
            text = ctx.view.text(field_name)
            for source, found in self.matches(text):
                if self.years_before and not _long_ago(
                    text[found.start() : found.end()], ctx, self.years_before
                ):
                    continue
                groups = {k: v for k, v in found.groupdict().items() if v is not None}
                if self.names:  # the selection captures the sorted list of distinct names, as for entities
                    # RE2's matches take a group's number only, not its name
                    group = (
                        dict(self.patterns)[source].python.groupindex[NAME_GROUP]
                        if NAME_GROUP in groups
                        else 0
                    )
                    groups.pop(NAME_GROUP, None)
                    start, end = found.start(group), found.end(group)
                    name = " ".join(text[start:end].split())
                    span = Span(field_name, start, end, text[start:end])
                    hits.append(Hit("entity", source, span, groups, term=name, detail="(regex)"))
                    continue
                hits.append(Hit("regex", source, _span(field_name, found, text), groups))
        return PredicateResult(held=bool(hits), hits=tuple(hits))

    # The matches in the texts seen last: one article is read three times (where the model must read,
    # which paragraphs can hold, the evaluation), a batch apart, and the regexes were a sixth of a cold poll.
    _recent: dict[str, tuple[tuple[str, FoundMatch], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def matches(self, text: str) -> tuple[tuple[str, FoundMatch], ...]:
        """Non-empty matches of every expression, in text order, so 'first' means first in the article."""
        found = self._recent.get(text)
        if found is None:
            if len(self._recent) >= RECENT_TEXTS:
                self._recent.clear()
            found = self._recent[text] = tuple(self._find(text))
        return found

    def _find(self, text: str) -> list[tuple[str, FoundMatch]]:
        found = [
            (source, match)
            for source, pattern in self.patterns
            for match in pattern.finditer(text)
            if match.end() > match.start()  # an empty match is no evidence
        ]
        return sorted(found, key=lambda item: item[1].start()) if len(self.patterns) > 1 else found


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _long_ago(matched: str, ctx: EvalContext, years: int) -> bool:
    """Whether the last year written in the match is ``years`` or more before the article's: "met in
    Honiara in 2021" in a 2026 article is history, "rescheduled to early 2027" is not."""
    written = _YEAR.findall(matched)
    return bool(written) and int(written[-1]) <= ctx.view.article.published_at.year - years


def _span(field_name: str, found: FoundMatch, text: str) -> Span:
    return Span(field_name, found.start(), found.end(), text[found.start() : found.end()])


def _compile_regex(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AnyRegex | None:
    compiled: list[tuple[str, RuleRegex]] = []
    ok = True
    flags = 0 if options.case_sensitive else re.IGNORECASE
    for index, source in enumerate(value):
        try:
            pattern = compile_rule_regex(source, flags)
            safe = _safe(source, pattern, flags, index, scope)
        except re.error as exc:
            scope.error((index,), f"invalid regex: {exc.msg} at position {exc.pos}")
            ok = False
            continue
        except RecursionError:
            scope.error((index,), "regex nests groups too deeply to check", "flatten it: no rule needs that")
            ok = False
            continue
        reserved = RESERVED_CAPTURES.intersection(pattern.groupindex)
        if reserved:
            name = sorted(reserved)[0]
            scope.error((index,), f"named group '{name}' is reserved (the language fills it itself)")
            ok = False
        ok = safe and ok
        if can_match_empty(pattern.python):
            scope.warning((index,), f"regex '{source}' can match empty text", "it would match every article")
        compiled.append((source, pattern))
    if not ok:
        return None
    names = frozenset(name for _, pattern in compiled for name in pattern.groupindex)
    if options.names:
        names -= {NAME_GROUP}
    required = literals.any_of([literals.regex_literals(source, flags) for source, _ in compiled])
    return AnyRegex(tuple(compiled), options.fields, names, required, options.names, options.years_before)


def _safe(source: str, pattern: RuleRegex, flags: int, index: int, scope: PredicateScope) -> bool:
    """False (after a located error) when the pattern may backtrack exponentially on Python's ``re``."""
    if pattern.risk is None:
        return True  # RE2 runs it on every text: linear time whatever its shape
    repeat = ambiguous_nested_repeat(source, flags)
    if repeat is None:
        return True
    why = f"RE2 cannot run {pattern.python_only}" if pattern.python_only else f"of {pattern.python_sometimes}"
    scope.error(
        (index,),
        f"regex '{source}' can take exponential time: a repeat '{repeat}' inside another repeat can "
        f"take the characters of what follows it, and this pattern runs on Python's re engine because {why}",
        "rewrite it so the inner repeat cannot overlap what follows ('(a+)+' is 'a+', '(\\w+\\s?)+' is "
        "'\\w+(?:\\s\\w+)*'), or drop what needs Python's engine",
    )
    return False


register_predicate(
    PredicateKind(
        "regex",
        RegexList,
        _compile_regex,
        "any of these regular expressions matches; named groups capture",
        order=20,
    )
)
