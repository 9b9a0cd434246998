"""The shape of a rule file, as pydantic models: what a person may write, checked before anything compiles.

A rule is split in two on purpose. ``RuleMeta`` holds what every rule type shares (id, title, severity,
examples, ...); each rule type (``match`` now; ``state``, ``quantity`` later) brings its own *body* model
(``MatchBody``: ``match`` + ``condition``). The loader validates the two separately, so an error in the
metadata never hides an error in the selections: every problem is reported in one pass.

Selections are validated by a model built from the predicate registry (see ``predicates.py``), so a new
predicate kind needs no change here.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

_STRICT = ConfigDict(extra="forbid", frozen=True)

LANGUAGE_VERSION = 1
"""The rule-language version this newsmon reads; a rule may say ``version: 1``."""

RULE_ID_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
SELECTION_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
FIELD_NAMES = ("title", "summary", "content", "link", "feed", "tags", "text")

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^\S+$")]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FieldName = Literal["title", "summary", "content", "link", "feed", "tags", "text"]


def not_empty(value: Any) -> Any:
    """Length check that runs only after every item validated, so a bad item is reported once, alone."""
    if len(value) == 0:
        raise ValueError("must not be empty")
    return value


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


class MatchExampleSpec(BaseModel):
    """An article that must match; ``expect`` checks captures, ``key`` the rendered key."""

    model_config = _STRICT
    title: str = ""
    summary: str = ""
    content: str = ""
    link: str | None = None
    feed: str = "example"
    tags: tuple[Word, ...] = ()
    expect: dict[str, str | list[str]] = Field(default_factory=dict)
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


class RuleMeta(BaseModel):
    """What every rule has, whatever its type."""

    model_config = _STRICT
    version: Literal[1] = 1
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
    examples: ExamplesSpec = Field(default_factory=ExamplesSpec)


class MatchBody(BaseModel):
    """The body of a ``type: match`` rule: named selections and a boolean condition over their names."""

    model_config = _STRICT
    match: Annotated[dict[str, dict[str, Any]], AfterValidator(not_empty)]
    condition: str | None = None


class SelectionOptions(BaseModel):
    """Options that shape how every predicate of one selection reads the article."""

    model_config = _STRICT
    fields: Annotated[tuple[FieldName, ...], AfterValidator(not_empty)] = ("text",)
    case: Literal["insensitive", "sensitive"] = "insensitive"
    whole_words: bool = True

    @property
    def case_sensitive(self) -> bool:
        return self.case == "sensitive"


OPTION_NAMES = tuple(SelectionOptions.model_fields)
