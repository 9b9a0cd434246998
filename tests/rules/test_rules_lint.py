"""Authoring bugs (issue 9): every problem in one run, colliding capture names, failing examples that say why."""

from __future__ import annotations

import pytest

from monitor.errors import RuleError
from monitor.rules import Vocabulary, check_rules, load_rules, run_examples
from tests.rules.conftest import RuleFiles


def test_check_reports_every_phase_in_one_run(rule_files: RuleFiles) -> None:
    """Once, a bad severity hid the key, new_term, expect and example problems: fixed in rounds."""
    path = rule_files.write(
        "r.yaml",
        """
        id: r
        title: R
        severity: urgent
        match:
          action: {phrases: [strike]}
        key: "{port}"
        new_term: {field: place, within: 30d}
        examples:
          match:
            - content: a strike
              expect: {port: Valmere}
        """,
    )
    messages = [f"{p.location.line}: {p.message}" for p in check_rules([rule_files.root])]
    assert messages == [
        "3: severity: Input should be 'info', 'low', 'medium', 'high' or 'critical'",
        "6: key template uses '{port}', which this rule never captures",
        "7: new_term: this rule never captures 'place'",
        "11: expect: this rule never captures 'port'",
    ], path


def test_a_broken_selection_does_not_hide_the_rest_of_the_rule(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """
        id: r
        title: R
        severity: urgent
        match:
          action: {regex: '(x'}
        key: "{unclosed"
        """,
    )
    messages = [p.message for p in check_rules([rule_files.root]) if p.severity == "error"]
    assert len(messages) == 3
    assert messages[0].startswith("severity:")
    assert messages[1].startswith("invalid regex")
    assert "key" in messages[2] or "{" in messages[2]


def test_a_condition_typo_does_not_hide_key_and_expect_problems(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """
        id: r
        title: R
        match:
          action: {phrases: [strike]}
          place: {regex: 'port of (?P<port>\\w+)'}
        condition: action and plcae
        key: "{port}/{target}"
        examples:
          match:
            - content: a strike at the port of Valmere
              expect: {port: Valmere, who: x}
        """,
    )
    messages = [f"{p.location.line}: {p.message}" for p in check_rules([rule_files.root])]
    assert messages == [
        "6: condition: unknown selection 'plcae'",
        "7: key template uses '{target}', which this rule never captures",
        "11: expect: this rule never captures 'who'",
    ]


def test_a_regex_group_named_like_another_selection_is_a_located_error(rule_files: RuleFiles) -> None:
    path = rule_files.write(
        "r.yaml",
        """
        id: r
        title: R
        match:
          place: {regex: 'port of (?P<port>(?-i:[A-Z]\\w+))'}
          port: {phrases: [harbour]}
        condition: place or port
        key: "{port}"
        """,
    )
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    [problem] = caught.value.problems
    assert str(problem.location) == f"{path}:4:18"
    assert problem.message.startswith("regex group 'port' has the name of selection 'port'")
    assert problem.hint == "rename the group or the selection (e.g. 'port_name')"


def test_a_selection_may_name_its_own_group_like_itself(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch:\n  port: {regex: 'port of (?P<port>\\w+)'}\n")
    assert load_rules([rule_files.root]).ids == ("r",)


VOCABULARY = Vocabulary(
    frozenset({"companies", "people"}),
    frozenset({"barrels_per_day", "percent"}),
    governors=frozenset({"exports", "output"}),
)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("{watchlist: compnies}", "4:18: unknown watch list 'compnies' (did you mean 'companies'?)"),
        (
            "{watchlist: [people, nosuchlist]}",
            "4:27: unknown watch list 'nosuchlist' (watch lists: companies, people)",
        ),
        ("{quantity: {unit: percnt}}", "4:24: unknown unit 'percnt' (did you mean 'percent'?)"),
        (  # a word enrichment never records next to a figure: the test could never see it
            "{quantity: {near: [export, overseas]}}",
            "4:33: 'overseas' is never a governing word of a figure, so this test can never see it "
            "(governing words are enrichment's list (monitor/enrichment/units.py GOVERNORS); use one of "
            "them or add it there)",
        ),
    ],
)
def test_names_outside_the_rule_must_exist(rule_files: RuleFiles, selection: str, expected: str) -> None:
    path = rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch:\n  s: {selection}\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root], VOCABULARY)
    assert [str(p) for p in caught.value.problems] == [f"{path}:{expected}"]
    assert load_rules([rule_files.root]).ids == ("r",)  # without a vocabulary nothing is checked


def test_a_failing_example_names_the_selection_that_failed(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """
        id: r
        title: R
        match:
          action: {phrases: [strike]}
          place: {phrases: [port], same_sentence_as: action}
          relief: {phrases: [called off]}
        condition: action and place and not relief
        examples:
          match:
            - "A strike. At the port."
            - "A strike at the port was called off."
        """,
    )
    first, second = (r.message for r in run_examples(load_rules([rule_files.root])))
    assert first == "expected a match, but the rule did not hold: selection 'place' did not hold: " + (
        "not in the same sentence as 'action'"
    )
    assert second == (
        "expected a match, but the rule did not hold: 'relief' held, and the condition "
        "'action and place and not relief' excludes it"
    )
