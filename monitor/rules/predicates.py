"""Selection predicates: a registry keyed by the name a rule writes (``phrases``, ``regex``, ...).

Each ``PredicateKind`` says what value it accepts (a pydantic type, so errors are located like any other),
and how to compile that value once, at load time, into a ``CompiledPredicate`` that evaluates cheaply
against an article. The built-ins below register through the same door as later kinds will (``entity``,
``quantity``, ``same_sentence_as``): adding one means writing a module and calling ``register_predicate``.
The selection schema is rebuilt from the registry, so the loader and the did-you-mean hints see new kinds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints, create_model

from monitor.domain import Span
from monitor.rules.context import EvalContext, Hit, PredicateResult
from monitor.rules.schema import SelectionOptions, not_empty

MAX_HITS_PER_PREDICATE = 20
"""Evidence kept per predicate; the explanation still counts them all."""

RESERVED_CAPTURES = frozenset({"matched"})

RelPath = tuple[str | int, ...]


class CompiledPredicate(Protocol):
    """A predicate ready to run: pure, cheap, and safe to share between threads."""

    @property
    def capture_names(self) -> frozenset[str]: ...

    def evaluate(self, ctx: EvalContext) -> PredicateResult: ...


@dataclass(frozen=True)
class PredicateScope:
    """Where a predicate is compiled: lets it report located problems relative to its own value."""

    report: Callable[[RelPath, str, str | None, str], None]
    selection_names: frozenset[str]

    def error(self, path: RelPath, message: str, hint: str | None = None) -> None:
        self.report(path, message, hint, "error")

    def warning(self, path: RelPath, message: str, hint: str | None = None) -> None:
        self.report(path, message, hint, "warning")


@dataclass(frozen=True)
class PredicateKind:
    """One predicate a selection may use: its key, the value it takes, and how to compile that value."""

    name: str
    value_type: Any
    compile: Callable[[Any, SelectionOptions, PredicateScope], CompiledPredicate | None]
    summary: str


_REGISTRY: dict[str, PredicateKind] = {}


def register_predicate(kind: PredicateKind) -> PredicateKind:
    """Make ``kind`` available to every rule loaded from now on."""
    if kind.name in _REGISTRY or kind.name in SelectionOptions.model_fields:
        raise ValueError(f"predicate '{kind.name}' is already defined")
    _REGISTRY[kind.name] = kind
    selection_model.cache_clear()
    return kind


def predicate_kinds() -> Mapping[str, PredicateKind]:
    return dict(_REGISTRY)


@functools.cache
def selection_model() -> type[BaseModel]:
    """The pydantic model of one selection: the options plus every registered predicate, all optional."""
    fields: dict[str, Any] = {name: (kind.value_type | None, None) for name, kind in _REGISTRY.items()}
    return create_model("SelectionSpec", __base__=SelectionOptions, **fields)


# --- literal phrases -------------------------------------------------------------------------------

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PhraseList = Annotated[tuple[Phrase, ...], AfterValidator(not_empty)]


def phrase_pattern(phrase: str) -> str:
    """Regex source for one phrase: any run of whitespace between words; a trailing ``*`` is a word prefix."""
    prefix = phrase.endswith("*")
    words = phrase.rstrip("*").split()
    source = r"\s+".join(re.escape(word) for word in words)
    return source + r"\w*" if prefix else source


def _flags(options: SelectionOptions) -> int:
    return 0 if options.case_sensitive else re.IGNORECASE


def _bounded(source: str, options: SelectionOptions) -> str:
    return rf"(?<!\w)(?:{source})(?!\w)" if options.whole_words else source


def _check_phrases(phrases: Sequence[str], scope: PredicateScope) -> bool:
    ok = True
    for index, phrase in enumerate(phrases):
        if "*" in phrase.rstrip("*") or phrase.endswith("**") or not phrase.rstrip("*").strip():
            scope.error((index,), f"phrase '{phrase}': '*' may only end a word, as in 'sanction*'")
            ok = False
    return ok


def _alternation(phrases: Sequence[str], options: SelectionOptions) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for a list of phrases; longest first so 'asset freeze' wins over 'asset' at one spot."""
    ordered = sorted(dict.fromkeys(phrases), key=len, reverse=True)
    groups = {f"p{index}": phrase for index, phrase in enumerate(ordered)}
    source = "|".join(f"(?P<{group}>{phrase_pattern(phrase)})" for group, phrase in groups.items())
    return re.compile(_bounded(source, options), _flags(options)), groups


def _span(field_name: str, found: re.Match[str]) -> Span:
    return Span(field=field_name, start=found.start(), end=found.end(), text=found.group(0))


@dataclass(frozen=True)
class AnyPhrase:
    """``phrases``: holds when any phrase occurs in any of the selection's fields."""

    pattern: re.Pattern[str]
    groups: Mapping[str, str]
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        hits: list[Hit] = []
        total = 0
        for field_name in self.fields:
            for found in self.pattern.finditer(ctx.text(field_name)):
                total += 1
                if len(hits) < MAX_HITS_PER_PREDICATE:
                    phrase = self.groups[found.lastgroup or ""]
                    hits.append(Hit("phrase", phrase, _span(field_name, found)))
        return PredicateResult(held=total > 0, hits=tuple(hits), total_hits=total)


@dataclass(frozen=True)
class AllPhrases:
    """``all``: holds when every phrase occurs somewhere in the selection's fields (each searched alone)."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        hits: list[Hit] = []
        for phrase, pattern in self.patterns:
            hit = self._first(ctx, phrase, pattern)
            if hit is None:
                return PredicateResult(held=False, note=f"phrase '{phrase}' not found")
            hits.append(hit)
        return PredicateResult(held=True, hits=tuple(hits), total_hits=len(hits), cite_each=True)

    def _first(self, ctx: EvalContext, phrase: str, pattern: re.Pattern[str]) -> Hit | None:
        for field_name in self.fields:
            found = pattern.search(ctx.text(field_name))
            if found is not None:
                return Hit("phrase", phrase, _span(field_name, found))
        return None


@dataclass(frozen=True)
class NoPhrase:
    """``none``: holds when no phrase occurs in any of the selection's fields."""

    pattern: re.Pattern[str]
    phrases: tuple[str, ...]
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        for field_name in self.fields:
            found = self.pattern.search(ctx.text(field_name))
            if found is not None:
                return PredicateResult(held=False, note=f"found excluded phrase '{found.group(0)}'")
        shown = ", ".join(f"'{phrase}'" for phrase in self.phrases[:5])
        more = ", …" if len(self.phrases) > 5 else ""
        return PredicateResult(held=True, note=f"none of {shown}{more}")


def _compile_phrases(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AnyPhrase | None:
    if not _check_phrases(value, scope):
        return None
    pattern, groups = _alternation(value, options)
    return AnyPhrase(pattern, groups, options.fields)


def _compile_all(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AllPhrases | None:
    if not _check_phrases(value, scope):
        return None
    patterns = tuple(
        (phrase, re.compile(_bounded(phrase_pattern(phrase), options), _flags(options)))
        for phrase in dict.fromkeys(value)
    )
    return AllPhrases(patterns, options.fields)


def _compile_none(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> NoPhrase | None:
    if not _check_phrases(value, scope):
        return None
    pattern, _ = _alternation(value, options)
    return NoPhrase(pattern, tuple(value), options.fields)


# --- regular expressions ---------------------------------------------------------------------------


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


RegexList = Annotated[
    tuple[Annotated[str, StringConstraints(min_length=1)], ...],
    BeforeValidator(_one_or_many),
    AfterValidator(not_empty),
]

_EMPTY_PROBE = "a 1 .\nZ"


def can_match_empty(pattern: re.Pattern[str]) -> bool:
    """True when the regex can succeed without consuming text (``a*``, ``(x)?``): it matches everywhere."""
    return pattern.fullmatch("") is not None or any(
        m.end() == m.start() for m in pattern.finditer(_EMPTY_PROBE)
    )


@dataclass(frozen=True)
class AnyRegex:
    """``regex``: holds when any of the expressions matches (non-empty text); named groups become captures."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        hits: list[Hit] = []
        total = 0
        for field_name in self.fields:
            found_here = self._matches(ctx.text(field_name))
            total += len(found_here)
            for source, found in found_here[: MAX_HITS_PER_PREDICATE - len(hits)]:
                groups = {k: v for k, v in found.groupdict().items() if v is not None}
                hits.append(Hit("regex", source, _span(field_name, found), groups))
        return PredicateResult(held=total > 0, hits=tuple(hits), total_hits=total)

    def _matches(self, text: str) -> list[tuple[str, re.Match[str]]]:
        """Non-empty matches of every expression, in text order, so 'first' means first in the article."""
        found = [
            (source, match)
            for source, pattern in self.patterns
            for match in pattern.finditer(text)
            if match.end() > match.start()  # an empty match is no evidence
        ]
        return sorted(found, key=lambda item: item[1].start()) if len(self.patterns) > 1 else found


def _compile_regex(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> AnyRegex | None:
    compiled: list[tuple[str, re.Pattern[str]]] = []
    ok = True
    for index, source in enumerate(value):
        try:
            pattern = re.compile(source, _flags(options))
        except re.error as exc:
            scope.error((index,), f"invalid regex: {exc.msg} at position {exc.pos}")
            ok = False
            continue
        reserved = RESERVED_CAPTURES.intersection(pattern.groupindex)
        if reserved:
            scope.error(
                (index,), f"named group '{sorted(reserved)[0]}' is reserved (it holds every matched text)"
            )
            ok = False
        if can_match_empty(pattern):
            scope.warning((index,), f"regex '{source}' can match empty text", "it would match every article")
        compiled.append((source, pattern))
    if not ok:
        return None
    names = frozenset(name for _, pattern in compiled for name in pattern.groupindex)
    return AnyRegex(tuple(compiled), options.fields, names)


register_predicate(
    PredicateKind(
        "phrases", PhraseList, _compile_phrases, "any of these phrases occurs (case-insensitive, whole words)"
    )
)
register_predicate(PredicateKind("all", PhraseList, _compile_all, "every one of these phrases occurs"))
register_predicate(PredicateKind("none", PhraseList, _compile_none, "none of these phrases occurs"))
register_predicate(
    PredicateKind(
        "regex", RegexList, _compile_regex, "any of these regular expressions matches; named groups capture"
    )
)
