"""The condition language: precedence, parentheses, errors with positions, short-circuiting."""

from __future__ import annotations

import pytest

from monitor.rules import condition
from monitor.rules.condition import And, ConditionError, Name, Not, Or

PARSES = [
    ("a", "a"),
    ("a and b", "a and b"),
    ("a or b and c", "a or b and c"),
    ("(a or b) and c", "(a or b) and c"),
    ("not a and b", "not a and b"),
    ("not (a and b)", "not (a and b)"),
    ("not not a", "not not a"),
    ("a AND NOT b Or c", "a and not b or c"),
    ("  (  a  )  ", "a"),
    ("((a or b)) and (c or d)", "(a or b) and (c or d)"),
    ("sel_1 and _x2", "sel_1 and _x2"),
]


@pytest.mark.parametrize(("text", "canonical"), PARSES)
def test_parse_and_render(text: str, canonical: str) -> None:
    assert condition.render(condition.parse(text)) == canonical


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert condition.parse("not a and b or c") == Or((And((Not(Name("a", 4)), Name("b", 10))), Name("c", 15)))


TRUTH = [
    ("a and b", {"a": True, "b": True}, True),
    ("a and b", {"a": True, "b": False}, False),
    ("a or b", {"a": False, "b": True}, True),
    ("a or b", {"a": False, "b": False}, False),
    ("not a", {"a": False}, True),
    ("a and not b", {"a": True, "b": True}, False),
    ("a or b and c", {"a": False, "b": True, "c": False}, False),
    ("(a or b) and c", {"a": True, "b": False, "c": True}, True),
    ("not (a or b)", {"a": False, "b": False}, True),
]


@pytest.mark.parametrize(("text", "values", "expected"), TRUTH)
def test_evaluate(text: str, values: dict[str, bool], expected: bool) -> None:
    assert condition.evaluate(condition.parse(text), values.__getitem__) is expected


def test_evaluation_stops_as_soon_as_the_answer_is_known() -> None:
    asked: list[str] = []

    def holds(name: str) -> bool:
        asked.append(name)
        return name == "b"

    assert condition.evaluate(condition.parse("a and c or b or d"), holds) is True
    assert asked == ["a", "b"]


ERRORS = [
    ("", "the condition is empty", 0, None),
    ("   ", "the condition is empty", 0, None),
    ("a and", "expected a selection name, 'not' or '(' but the condition ended", 5, None),
    ("a b", "unexpected 'b' after a complete expression", 2, "join selections with 'and' or 'or'"),
    ("(a or b", "expected ')' but the condition ended", 7, None),
    ("a)", "unexpected ')' after a complete expression", 1, None),
    ("a && b", "unexpected character '&'", 2, "write 'and'"),
    ("a || b", "unexpected character '|'", 2, "write 'or'"),
    ("!a", "unexpected character '!'", 0, "write 'not'"),
    ("a and or b", "expected a selection name, 'not' or '(' but found 'or'", 6, None),
    ("()", "expected a selection name, 'not' or '(' but found ')'", 1, None),
    ("a-b", "unexpected character '-'", 1, None),
]


@pytest.mark.parametrize(("text", "message", "offset", "hint"), ERRORS)
def test_syntax_errors_say_what_and_where(text: str, message: str, offset: int, hint: str | None) -> None:
    with pytest.raises(ConditionError) as caught:
        condition.parse(text)
    assert (caught.value.message, caught.value.offset, caught.value.hint) == (message, offset, hint)


def test_names_and_positive_names() -> None:
    expr = condition.parse("(a or not b) and not (c and not d)")
    assert [name.name for name in condition.names(expr)] == ["a", "b", "c", "d"]
    assert condition.positive_names(expr) == {"a", "d"}


def test_default_condition_ands_every_selection() -> None:
    assert condition.render(condition.all_of(["x", "y", "z"])) == "x and y and z"
    assert condition.render(condition.all_of(["only"])) == "only"


@pytest.mark.parametrize(("text", "values", "expected"), TRUTH)
def test_the_compiled_condition_agrees_with_the_evaluator(
    text: str, values: dict[str, bool], expected: bool
) -> None:
    assert condition.compile_expr(condition.parse(text))(values.__getitem__) is expected


ANALYSIS = [
    ("a and b", set(), None),
    ("a or (a and b)", {"b"}, None),
    ("(a or b) and not c", set(), None),
    ("a and not a", {"a"}, False),
    ("a or not a", {"a"}, True),
    ("a and (b or not b)", {"b"}, None),
]


@pytest.mark.parametrize(("text", "irrelevant", "constant"), ANALYSIS)
def test_analysis_finds_names_that_never_matter_and_constant_conditions(
    text: str, irrelevant: set[str], constant: bool | None
) -> None:
    assert condition.analyse(condition.parse(text)) == (irrelevant, constant)
