"""The shape of a rule file, as pydantic models: what a person may write, checked before anything compiles.

A rule is split in two on purpose. ``RuleMeta`` holds what every rule type shares (id, title, severity,
examples, key, and the memory keys: ``new_term``, ``frequency``, ``flatline``, ``realert``, ``throttle``);
each rule type brings its own *body* model (``MatchBody``: ``match`` + ``condition``; ``StateBody`` adds
``states``). The loader validates the two separately, so an error in the metadata never hides an error in
the selections: every problem is reported in one pass.

Selections are validated by a model built from the predicate registry (see ``predicates.py``), so a new
predicate kind needs no change here.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from monitor.rules.durations import Duration

_STRICT = ConfigDict(extra="forbid", frozen=True)

LANGUAGE_VERSION = 2
"""The newest rule-language version this newsmon reads; a rule says ``version: 1`` or ``version: 2``.

Version 2 changes one default: a ``match``/``state`` condition must hold within one paragraph
(``scope: paragraph``) unless the rule says ``scope: article``. Version 1 rules keep ``scope: article``."""

RULE_ID_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
SELECTION_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
FIELD_NAMES = ("title", "summary", "content", "link", "feed", "tags", "text")

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^\S+$")]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FieldName = Literal["title", "summary", "content", "link", "feed", "tags", "text"]
SelectionName = Annotated[str, StringConstraints(pattern=SELECTION_NAME_PATTERN)]


def not_empty(value: Any) -> Any:
    """Length check that runs only after every item validated, so a bad item is reported once, alone."""
    if len(value) == 0:
        raise ValueError("must not be empty")
    return value


def one_or_many(value: Any) -> Any:
    """A single string where a list is expected is a list of one."""
    return [value] if isinstance(value, str) else value


Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PhraseList = Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Status(enum.StrEnum):
    EXPERIMENTAL = "experimental"
    TEST = "test"
    STABLE = "stable"


CaptureValue = str | float | bool | None | list[str] | dict[str, float]


class MatchExampleSpec(BaseModel):
    """An article that must match; ``expect`` checks captures, ``key`` the rendered key."""

    model_config = _STRICT
    title: str = ""
    summary: str = ""
    content: str = ""
    link: str | None = None
    feed: str = "example"
    tags: tuple[Word, ...] = ()
    expect: dict[str, CaptureValue] = Field(default_factory=dict)
    key: str | None = None


class NoMatchExampleSpec(BaseModel):
    """An article that must not match."""

    model_config = _STRICT
    title: str = ""
    summary: str = ""
    content: str = ""
    link: str | None = None
    feed: str = "example"
    tags: tuple[Word, ...] = ()


def _text_example(value: Any) -> Any:
    """A plain string example is shorthand for an article whose content is that string."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("an example must not be empty")
        return {"content": value}
    return value


class ExamplesSpec(BaseModel):
    """Embedded test cases: a plain string is the article's text (its ``content``)."""

    model_config = _STRICT
    match: tuple[Annotated[MatchExampleSpec, BeforeValidator(_text_example)], ...] = ()
    no_match: tuple[Annotated[NoMatchExampleSpec, BeforeValidator(_text_example)], ...] = ()


class NewTermSpec(BaseModel):
    """``new_term``: alert only for values of a capture this rule has not seen within ``within``."""

    model_config = _STRICT
    field: SelectionName
    within: Duration | None = None  # None: never seen before, however long ago
    when_empty: Literal["hold", "alert"] = "hold"  # nothing captured: hold back, or alert (no term)


class FrequencySpec(BaseModel):
    """``frequency``: alert when ``count`` matching articles (or sources) arrive within ``within``."""

    model_config = _STRICT
    count: int = Field(ge=2, le=10_000)
    within: Duration
    distinct_sources: bool = False


class FlatlineSpec(BaseModel):
    """``flatline``: alert when a key that used to match has not matched for ``within``."""

    model_config = _STRICT
    within: Duration


class ThrottleSpec(BaseModel):
    """``throttle``: at most ``alerts`` alerts per key in any period of ``per``."""

    model_config = _STRICT
    alerts: int = Field(ge=1, le=10_000)
    per: Duration


class RuleMeta(BaseModel):
    """What every rule has, whatever its type."""

    model_config = _STRICT
    version: Literal[1, 2] = 1
    id: str = Field(pattern=RULE_ID_PATTERN, max_length=100)
    type: str = "match"
    title: NonBlank
    description: str = ""
    severity: Severity = Severity.MEDIUM
    tags: tuple[Word, ...] = ()
    status: Status = Status.STABLE
    owner: str | None = None
    notify: tuple[Word, ...] = ()
    key: str = ""
    new_term: NewTermSpec | None = None
    frequency: FrequencySpec | None = None
    flatline: FlatlineSpec | None = None
    realert: Duration | None = None
    throttle: ThrottleSpec | None = None
    examples: ExamplesSpec = Field(default_factory=ExamplesSpec)


class MatchBody(BaseModel):
    """The body of a ``type: match`` rule: named selections and a boolean condition over their names."""

    model_config = _STRICT
    match: Annotated[dict[str, dict[str, Any]], AfterValidator(not_empty)]
    condition: str | None = None
    scope: Literal["article", "paragraph", "sentence"] = "article"  # version 2 defaults to paragraph
    captures: Annotated[tuple[SelectionName, ...], BeforeValidator(one_or_many)] = ()  # evaluated after


class WithinSpec(BaseModel):
    """``within: {words: 8, of: action, side: after}``: hits at most N words from another selection's."""

    model_config = _STRICT
    words: int = Field(ge=1, le=500)
    of: SelectionName
    side: Literal["either", "before", "after"] = "either"


def _one_mapping_name_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str | dict) else value


DEFAULT_NEGATIONS = ("not", "never", "no", "without", "nor", "neither", "cannot", "n't")


class StanceSpec(BaseModel):
    """Words that make a state word not count: before it within ``words`` words of its sentence
        (``negation``, ``speculation``), or within ``denial_words`` before it in its sentence (``denial``:
        "dismissed reports that the visit was off"), or right before it (``background``: "last met"), or
        anywhere in its sentence (``conditional``: "will meet him only once the troops have left";
        ``corrected``: "an earlier version of this article said the meeting had been cancelled").
    ``negation`` defaults to the built-in list (a word ending in ``n't`` counts as ``n't``); the others
    default to none. Each list replaces its default; ``[]`` switches that kind off. ``denied_means`` maps a
    denied state to the state it reports instead ("denies the summit is off": planned); a denial of one of
    its states, or of one in ``denied_everywhere``, answers every report of that state in the article."""

    model_config = _STRICT
    negation: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = DEFAULT_NEGATIONS
    speculation: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = ()
    denial: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = ()
    background: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = ()  # the word just before
    conditional: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = ()  # anywhere in its sentence
    corrected: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many)] = ()  # anywhere in its sentence
    words: int = Field(default=3, ge=1, le=50)
    denial_words: int = Field(default=8, ge=1, le=500)
    denied_means: dict[SelectionName, SelectionName] = {}
    denied_everywhere: Annotated[tuple[SelectionName, ...], BeforeValidator(one_or_many)] = ()


class YieldSpec(BaseModel):
    """Words of a state that give way to other states' words in the same article: "will no longer meet this
    week" is ``cancelled`` unless "pushed back to January" says ``postponed``."""

    model_config = _STRICT
    to: Annotated[tuple[SelectionName, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]
    words: Annotated[tuple[Phrase, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]


class StateBody(MatchBody):
    """``type: state``: selections say what the article is about; ``states`` which status it reports."""

    states: Annotated[dict[SelectionName, PhraseList], AfterValidator(not_empty)]
    states_near: Annotated[
        tuple[SelectionName | WithinSpec, ...], BeforeValidator(_one_mapping_name_or_many)
    ] = ()
    alert_on: Literal["change", "transition"] | tuple[SelectionName, ...] = "change"
    lemma: bool = False
    stance: StanceSpec = Field(default_factory=StanceSpec)
    yields: dict[SelectionName, YieldSpec] = {}


def _mapping_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


SelectionNames = Annotated[tuple[SelectionName, ...], BeforeValidator(one_or_many)]


class SelectionOptions(BaseModel):
    """Options that shape how every predicate of one selection reads the article.

    Proximity options narrow the selection's evidence to hits near (or, for ``not_same_sentence_as``, away
    from) the evidence of the selections they name; a list means "any of these".
    """

    model_config = _STRICT
    fields: Annotated[tuple[FieldName, ...], AfterValidator(not_empty)] = ("text",)
    case: Literal["insensitive", "sensitive"] = "insensitive"
    whole_words: bool = True
    lemma: bool = False
    same_sentence_as: SelectionNames = ()
    not_same_sentence_as: SelectionNames = ()
    same_paragraph_as: SelectionNames = ()
    not_same_paragraph_as: SelectionNames = ()
    near_paragraph_as: SelectionNames = ()  # that paragraph or the ones just before or after it
    near_paragraphs: int = Field(default=1, ge=1, le=5)  # how many before and after count as near
    within: Annotated[tuple[WithinSpec, ...], BeforeValidator(_mapping_or_many)] = ()
    not_within: Annotated[tuple[WithinSpec, ...], BeforeValidator(_mapping_or_many)] = ()
    top: int | None = Field(default=None, ge=1, le=100)
    capture: Literal["list", "first"] = "list"
    at_least: int = Field(default=1, ge=1, le=100)
    otherwise: SelectionName | None = None
    also: SelectionNames = ()
    anywhere: bool = False
    nearby: int = Field(default=0, ge=0, le=5)
    names: bool = False  # a regex's matches (or their group ``name``) are names, captured like entities
    years_before: int = Field(default=0, ge=0, le=100)  # a regex match counts only with a year this long ago

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"


OPTION_NAMES = tuple(SelectionOptions.model_fields)
