"""A new predicate kind plugs in through the registry: schema, did-you-mean and evaluation pick it up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

import pytest
from pydantic import Field

from monitor.errors import RuleError
from monitor.rules import PredicateKind, article_from_text, load_rules, register_predicate
from monitor.rules import predicates as registry
from monitor.rules.context import EvalContext, PredicateResult
from monitor.rules.predicates import PredicateScope
from monitor.rules.schema import SelectionOptions
from tests.rules.conftest import RuleFiles


@dataclass(frozen=True)
class MinWords:
    minimum: int
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        words = sum(len(ctx.text(name).split()) for name in self.fields)
        return PredicateResult(held=words >= self.minimum, note=f"{words} words")


def _compile(value: int, options: SelectionOptions, scope: PredicateScope) -> MinWords | None:
    if value > 10_000:
        scope.error((), "min_words: no article is that long")
        return None
    return MinWords(value, options.fields)


@pytest.fixture
def min_words() -> Iterator[None]:
    register_predicate(PredicateKind("min_words", Annotated[int, Field(ge=1)], _compile, "at least N words"))
    yield
    del registry._REGISTRY["min_words"]
    registry.selection_model.cache_clear()


@pytest.mark.usefixtures("min_words")
def test_a_registered_predicate_is_usable_in_rules(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch:\n  long: {min_words: 3, phrases: [oil]}\n")
    ruleset = load_rules([rule_files.root])
    assert ruleset.evaluate(article_from_text("oil prices")).matches == ()
    (match,) = ruleset.evaluate(article_from_text("oil prices rose"))
    assert match.explanation[0] == "selection 'long' held: 3 words; phrase 'oil' in text at 0–3"


@pytest.mark.usefixtures("min_words")
def test_a_registered_predicate_gets_located_errors_and_hints(rule_files: RuleFiles) -> None:
    path = rule_files.write(
        "r.yaml",
        "id: r\ntitle: R\nmatch:\n  a: {min_word: 3}\n  b: {min_words: 0}\n  c: {min_words: 20000}\n",
    )
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    assert [str(p).replace(str(path), "r.yaml") for p in caught.value.problems] == [
        "r.yaml:4:7: unknown key 'min_word' (did you mean 'min_words'?)",
        "r.yaml:5:18: min_words: Input should be greater than or equal to 1",
        "r.yaml:6:18: min_words: no article is that long",
    ]


def test_a_predicate_name_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="predicate 'phrases' is already defined"):
        register_predicate(PredicateKind("phrases", int, _compile, "again"))
