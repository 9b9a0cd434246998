"""Loading reports every mistake at once, each at the file:line:col where a person wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import RuleError
from monitor.rules import check_rules, load_rules
from tests.rules.conftest import RuleFiles

VALID_HEAD = """\
id: r1
title: A rule
"""


def errors_in(rule_files: RuleFiles, text: str) -> list[str]:
    """Every error loading ``text`` raises, with the file shown as ``r.yaml``."""
    path = rule_files.write("r.yaml", text)
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    return [str(problem).replace(str(path), "r.yaml") for problem in caught.value.problems]


CASES = [
    pytest.param(
        VALID_HEAD + "tagz: [x]\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:1: unknown key 'tagz' (did you mean 'tags'?)"],
        id="unknown top-level key with did-you-mean",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  action:\n    phrase: [sanctions]\n",
        ["r.yaml:5:5: unknown key 'phrase' (did you mean 'phrases'?)"],
        id="unknown predicate with did-you-mean",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    phrases: [x]\n    feilds: [title]\n",
        ["r.yaml:6:5: unknown key 'feilds' (did you mean 'fields'?)"],
        id="unknown option with did-you-mean",
    ),
    pytest.param(
        VALID_HEAD + "severity: urgent\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:11: severity: Input should be 'info', 'low', 'medium', 'high' or 'critical'"],
        id="wrong severity",
    ),
    pytest.param(
        VALID_HEAD + "tags: energy\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:7: tags: Input should be a valid tuple"],
        id="a string where a list belongs",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    phrases: [oil, 42]\n",
        ["r.yaml:5:20: phrases.1: Input should be a valid string"],
        id="a number where a phrase belongs",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    phrases: [x]\n    fields: [body]\n",
        [
            "r.yaml:6:14: fields.0: Input should be 'title', 'summary', 'content', 'link', 'feed', 'tags' "
            "or 'text'"
        ],
        id="unknown field",
    ),
    pytest.param(
        "id: r1\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:1:1: missing required key 'title'"],
        id="missing title",
    ),
    pytest.param(
        "id: Bad Id\ntitle: T\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:1:5: id: String should match pattern '^[a-z0-9]+(?:[-_.][a-z0-9]+)*$'"],
        id="id that is not a slug",
    ),
    pytest.param(
        VALID_HEAD + "version: 3\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:10: version: Input should be 1 or 2"],
        id="unsupported language version",
    ),
    pytest.param(
        VALID_HEAD + "type: stat\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:7: unknown rule type 'stat' (did you mean 'state'?)"],
        id="unknown rule type",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    regex: ['ok', '(?P<figure>\\d+']\n",
        ["r.yaml:5:19: invalid regex: missing ), unterminated subpattern at position 0"],
        id="bad regex in a list",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    regex: 'a)'\n",
        ["r.yaml:5:12: invalid regex: unbalanced parenthesis at position 1"],
        id="bad single regex",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    regex: '(?P<matched>x)'\n",
        ["r.yaml:5:12: named group 'matched' is reserved (the language fills it itself)"],
        id="reserved group name",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    phrases: [ok, 'oil*price']\n",
        ["r.yaml:5:19: phrase 'oil*price': '*' may only end a word, as in 'sanction*'"],
        id="wildcard inside a phrase",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    phrases: []\n",
        ["r.yaml:5:14: phrases: Value error, must not be empty"],
        id="empty phrase list",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    case: sensitive\n",
        [
            "r.yaml:4:3: selection 'a' has no predicate "
            "(use one of: phrases, all, none, regex, entity, watchlist, canonical, person_like, full_name, quantity, argument)"
        ],
        id="selection without predicate",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  not: {phrases: [x]}\n",
        ["r.yaml:4:3: selection name 'not' is a reserved word of the condition language"],
        id="reserved selection name",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y]}\ncondition: a && b\n",
        ["r.yaml:6:12: condition: unexpected character '&' at character 3 (write 'and')"],
        id="condition syntax error",
    ),
    pytest.param(
        VALID_HEAD
        + "match:\n  action: {phrases: [x]}\n  target: {phrases: [y]}\ncondition: action and taget\n",
        ["r.yaml:6:12: condition: unknown selection 'taget' (did you mean 'target'?)"],
        id="condition names an unknown selection",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x], also: [b, c]}\n  b: {phrases: [y]}\n",
        ["r.yaml:4:31: unknown selection 'c' (selections: a, b)"],
        id="also names an unknown selection",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\ncondition: a and (\n",
        ["r.yaml:5:12: condition: expected a selection name, 'not' or '(' but the condition ended"],
        id="condition ends early",
    ),
    pytest.param(
        VALID_HEAD + 'key: "{target}"\nmatch:\n  action: {regex: "on (?P<who>\\\\w+)"}\n',
        ["r.yaml:3:6: key template uses '{target}', which this rule never captures (captures: action, who)"],
        id="key names an unknown capture",
    ),
    pytest.param(
        VALID_HEAD + 'key: "{who!r}"\nmatch:\n  action: {regex: "on (?P<who>\\\\w+)"}\n',
        ["r.yaml:3:6: key template '{who!r}': write placeholders as {name}, not '{who!r}'"],
        id="key with a conversion",
    ),
    pytest.param(
        VALID_HEAD
        + "match:\n  a: {phrases: [x]}\nexamples:\n  match:\n    - content: x\n      expect: {tagret: y}\n",
        ["r.yaml:8:16: expect: this rule never captures 'tagret' (captures: a)"],
        id="example expects an unknown capture",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\nexamples:\n  no_match:\n    - {content: x, key: y}\n",
        ["r.yaml:7:20: unknown key 'key'"],
        id="no_match example with a key",
    ),
    pytest.param(
        VALID_HEAD + "title: Again\nmatch: {a: {phrases: [x]}}\n",
        ["r.yaml:3:1: duplicate key 'title' (first written at line 2)"],
        id="duplicate YAML key",
    ),
    pytest.param(
        "id: r1\ntitle: [unclosed\n",
        ["r.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"],
        id="YAML syntax error",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y], same_sentence_as: aa}\n",
        ["r.yaml:5:39: unknown selection 'aa' (did you mean 'a'?)"],
        id="proximity names an unknown selection",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x], within: {words: 3, of: a}}\n",
        ["r.yaml:4:29: selection 'a' cannot refer to itself"],
        id="proximity to itself",
    ),
    pytest.param(
        VALID_HEAD
        + "match:\n  a: {phrases: [x], same_sentence_as: b}\n  b: {phrases: [y], same_sentence_as: a}\n",
        ["r.yaml:4:3: selections refer to each other in a circle: a → b → a"],
        id="proximity in a circle",
    ),
    pytest.param(
        VALID_HEAD
        + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y], within: {words: 3, of: a, side: left}}\n",
        ["r.yaml:5:21: within.0.side: Input should be 'either', 'before' or 'after'"],
        id="unknown side",
    ),
    pytest.param(
        VALID_HEAD + "new_term: {field: target}\nmatch:\n  a: {phrases: [x]}\n",
        ["r.yaml:3:19: new_term: this rule never captures 'target' (captures: a)"],
        id="new_term on a capture that does not exist",
    ),
    pytest.param(
        VALID_HEAD + "realert: 5 minutes\nmatch:\n  a: {phrases: [x]}\n",
        [
            "r.yaml:3:10: realert: Value error, '5 minutes' is not a duration: write a number and a unit, "
            "as in 90s, 15m, 12h, 7d, 2w"
        ],
        id="a duration in words",
    ),
    pytest.param(
        VALID_HEAD + "new_term: {field: a, within: 30}\nmatch:\n  a: {phrases: [x]}\n",
        [
            "r.yaml:3:30: new_term.within: Value error, write a duration with its unit, as in 90s, 15m, 12h, 7d, 2w"
        ],
        id="a duration without a unit",
    ),
    pytest.param(
        VALID_HEAD + "realert: 1h\nthrottle: {alerts: 2, per: 1d}\nmatch:\n  a: {phrases: [x]}\n",
        [
            "r.yaml:4:1: write either realert or throttle, not both (realert: 6h is throttle: {alerts: 1, per: 6h})"
        ],
        id="realert and throttle",
    ),
    pytest.param(
        VALID_HEAD + "new_term: {field: a}\nflatline: {within: 1d}\nmatch:\n  a: {phrases: [x]}\n",
        [
            "r.yaml:4:1: flatline alerts on silence: it cannot be combined with state, new_term, changed_by, "
            "frequency, realert or throttle"
        ],
        id="flatline with new_term",
    ),
    pytest.param(
        VALID_HEAD + "frequency: {count: 1, within: 1h}\nmatch:\n  a: {phrases: [x]}\n",
        ["r.yaml:3:20: frequency.count: Input should be greater than or equal to 2"],
        id="a frequency of one",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {quantity: {value: 'about 5'}}\n",
        [
            "r.yaml:4:25: quantity.value: Value error, 'about 5' is not a comparison: write '>= 100000', "
            "'< 5e6' or 'between 1e5 and 2e7'"
        ],
        id="a threshold that is not a comparison",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {quantity: {units: barrels}}\n",
        ["r.yaml:4:18: unknown key 'units' (did you mean 'unit'?)"],
        id="unknown quantity key",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {quantity: {changed_by: '>=5%'}}\n  b: {quantity: {changed_by: '>=5%'}}\n",
        [
            "r.yaml:5:30: only one quantity of a rule may say changed_by (the rule remembers one figure per key)"
        ],
        id="two figures to remember",
    ),
    pytest.param(
        VALID_HEAD + "type: state\nmatch:\n  a: {phrases: [x]}\n",
        ["r.yaml:1:1: missing required key 'states'"],
        id="state rule without states",
    ),
    pytest.param(
        VALID_HEAD + "type: state\nmatch:\n  a: {phrases: [x]}\nstates: {open: [x], shut: [y]}\n"
        "states_near: [b]\nalert_on: [opne]\n",
        [
            "r.yaml:7:15: unknown selection 'b' (selections: a)",
            "r.yaml:8:12: alert_on: unknown state 'opne' (states: open, shut)",
        ],
        id="state rule naming what does not exist",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {regex: '(?P<value>x)'}\n",
        ["r.yaml:4:14: named group 'value' is reserved (the language fills it itself)"],
        id="a group named like a capture the language fills",
    ),
    pytest.param(
        "- just a string\n",
        ["r.yaml:1:3: a rule must be a mapping (key: value), not a string"],
        id="a list item that is not a rule",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_mistake_is_reported_where_it_was_written(
    rule_files: RuleFiles, text: str, expected: list[str]
) -> None:
    assert errors_in(rule_files, text) == expected


def test_errors_in_metadata_and_selections_are_reported_together(rule_files: RuleFiles) -> None:
    text = """\
        id: r1
        title: T
        severity: urgent
        match:
          a:
            regex: '(x'
        """
    assert errors_in(rule_files, text) == [
        "r.yaml:3:11: severity: Input should be 'info', 'low', 'medium', 'high' or 'critical'",
        "r.yaml:6:12: invalid regex: missing ), unterminated subpattern at position 0",
    ]


def test_two_errors_in_two_files_are_reported_together(rule_files: RuleFiles) -> None:
    first = rule_files.write("a.yaml", "id: a\ntitle: A\nseverity: hgih\nmatch: {x: {phrases: [x]}}\n")
    second = rule_files.write("b/b.yaml", "id: b\ntitle: B\nmatch: {x: {regex: '[z'}}\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    assert [str(p) for p in caught.value.problems] == [
        f"{first}:3:11: severity: Input should be 'info', 'low', 'medium', 'high' or 'critical'",
        f"{second}:3:20: invalid regex: unterminated character set at position 0",
    ]
    assert str(caught.value).splitlines()[0] == "rules: 2 errors"


def test_a_duplicate_id_across_files_names_both_places(rule_files: RuleFiles) -> None:
    first = rule_files.write("a.yaml", "id: same\ntitle: A\nmatch: {x: {phrases: [x]}}\n")
    second = rule_files.write("z/b.yaml", "title: B\nid: same\nmatch: {x: {phrases: [y]}}\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    assert [str(p) for p in caught.value.problems] == [
        f"{second}:2:5: duplicate rule id 'same' (also defined at {first}:1:5)"
    ]


def test_a_duplicate_id_is_found_even_when_the_rule_has_other_errors(rule_files: RuleFiles) -> None:
    text = """\
        - id: same
          title: A
          match: {x: {phrases: [x]}}
        - id: same
          title: B
          match: {x: {regex: '(('}}
        """
    assert errors_in(rule_files, text) == [
        "r.yaml:4:7: duplicate rule id 'same' (also defined at r.yaml:1:7)",
        "r.yaml:6:22: invalid regex: missing ), unterminated subpattern at position 1",
    ]


def test_a_path_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(RuleError) as caught:
        load_rules([missing])
    assert [str(p) for p in caught.value.problems] == [f"{missing}: no such file or directory"]


WARNINGS = [
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y]}\ncondition: a\n",
        ["r.yaml:5:3: selection 'b' is not used in the condition [warning]"],
        id="unused selection",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a:\n    regex: ['x', '(y)?']\n",
        ["r.yaml:5:18: regex '(y)?' can match empty text (it would match every article) [warning]"],
        id="regex that matches empty text",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y]}\ncondition: a or (a and b)\n",
        [
            "r.yaml:5:3: selection 'b' is unreachable: it can never change the outcome of the condition [warning]"
        ],
        id="unreachable selection",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\ncondition: a and not a\n",
        ["r.yaml:5:12: condition: can never hold [warning]"],
        id="a condition that can never hold",
    ),
    pytest.param(
        VALID_HEAD + "match:\n  a: {phrases: [x]}\n  b: {phrases: [y], same_sentence_as: a}\ncondition: b\n",
        [],
        id="a selection used by proximity is not unused",
    ),
]


@pytest.mark.parametrize(("text", "expected"), WARNINGS)
def test_warnings_do_not_stop_loading(rule_files: RuleFiles, text: str, expected: list[str]) -> None:
    path = rule_files.write("r.yaml", text + "examples: {match: [x y]}\n")
    ruleset = load_rules([rule_files.root])
    assert [rule.id for rule in ruleset.rules] == ["r1"]
    assert [str(p).replace(str(path), "r.yaml") for p in ruleset.warnings] == expected


def test_a_rule_without_examples_is_a_warning(rule_files: RuleFiles) -> None:
    path = rule_files.write("r.yaml", VALID_HEAD + "match: {a: {phrases: [x]}}\n")
    ruleset = load_rules([rule_files.root])
    assert [str(p) for p in ruleset.warnings] == [
        f"{path}:1:5: rule 'r1' has no examples "
        "(add examples: {match: [...], no_match: [...]} so 'newsmon rules test' can check it) [warning]"
    ]


def test_check_rules_lists_problems_and_failing_examples_as_warnings_without_raising(
    rule_files: RuleFiles,
) -> None:
    broken = rule_files.write(
        "a.yaml", "id: a\ntitle: A\nmatch: {x: {phrases: [x]}, y: {phrases: [y]}}\ncondition: x\n"
    )
    failing = rule_files.write(
        "b.yaml",
        """\
        id: b
        title: B
        match: {oil: {phrases: [oil]}}
        examples:
          match: ["crude prices"]
          no_match: ["oil prices"]
        """,
    )
    assert [str(p) for p in check_rules([rule_files.root])] == [
        f"{broken}:1:5: rule 'a' has no examples "
        "(add examples: {match: [...], no_match: [...]} so 'newsmon rules test' can check it) [warning]",
        f"{broken}:3:28: selection 'y' is not used in the condition [warning]",
        f"{failing}:5:11: rule 'b': match example 1 failed: expected a match, but the rule did not hold: "
        "selection 'oil' did not hold [warning]",
        f"{failing}:6:14: rule 'b': no_match example 1 failed: expected no match, but it matched: "
        "selection 'oil' held: phrase 'oil' in text at 0–3; condition: oil [warning]",
    ]
