"""Rule regexes run on RE2 with Python's meaning, and a pattern that could freeze Python's ``re`` is refused."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import RuleError
from monitor.rules import article_from_text, check_rules, load_rules
from monitor.rules.regex_engine import DIGIT_CLASS, SPACE_CLASS, WORD_CLASS, compile_rule_regex
from monitor.rules.regex_risk import ambiguous_nested_repeat
from tests.rules.conftest import RuleFiles

EVIL_TEXT = "a" * 34 + "b"

# (pattern, text): both engines must find the same non-empty matches with the same named groups
SAME_MEANING = [
    (r"\bcafé\b", "un café, s'il vous plaît"),
    (r"\bcaf\b", "un café"),
    (r"\w+", "naïve Zürich straße Москва ١٢٣ 中文 x_y"),
    (r"\d+", "١٢٣ and 456 and ５"),
    (r"\s+", "a\u00a0b\u2003c\x1cd\x85e\tf"),
    (r"\W+", "a—b’c  d"),
    (r"[^\d\s]+", "abc123 déf ١x"),
    (r"[\w-]+", "state-owned Rosneft"),
    (r"(?i)STRASSE|straße", "Straße"),
    (r"(?i)σ", "ΣΑΣ ς"),
    (r"(?i)k", "Kelvin \u212a"),
    (r"(?i)[a-z]+", "ÀBC abc"),
    (r"falls$", "Oil falls\n"),
    (r"falls$", "Oil falls"),
    (r"(?m)^\w+$", "one\ntwo\nthree"),
    (r"x{,3}y", "xxxxy"),
    (r"(?x) a \s b  # comment", "a b"),
    (r"a.c", "a\nc abc"),
    (r"(?s)a.c", "a\nc"),
    (r"(?P<who>(?-i:[A-Z]\w+)) (?:summit|talks)", "Nairobi talks and Kampala summit"),
    (r"against\s+(?P<target>(?-i:[A-Z]\w+))", "sanctions against Émile Corp"),
    (r"\Bam\B", "hamlet am Sam"),
    (r"\Aoil", "oil oil"),
    (r"oil\Z", "oil oil"),
    (r"(?:port|harbou?r)\s+of\s+(?P<port>(?-i:[A-Z][\w-]+(?:[ ]+[A-Z][\w-]+)?))", "the harbor of Port Said"),
]


def _found(pattern: object, text: str) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text) if m.end() > m.start()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("source", "text"), SAME_MEANING)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_re2_means_what_python_means(source: str, text: str, flags: int) -> None:
    compiled = compile_rule_regex(source, flags)
    assert compiled.fast is not None, compiled.python_only
    expected = _found(compiled.python, text)
    assert _found(compiled.fast, text) == expected or compiled.engine_for(text) == "re"
    assert _found(compiled, text) == expected


def test_the_unicode_classes_match_python_on_every_assigned_code_point() -> None:
    import re2

    chars = "".join(
        chr(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF and unicodedata.category(chr(code)) != "Cn"
    )
    for python, ours in ((r"\w", f"[{WORD_CLASS}]"), (r"\d", DIGIT_CLASS), (r"\s", f"[{SPACE_CLASS}]")):
        wanted = "".join(m.group() for m in re.finditer(python, chars))
        assert "".join(m.group() for m in re2.compile(ours).finditer(chars)) == wanted, python


@pytest.mark.parametrize(
    ("source", "engine_text", "engine"),
    [
        (r"(a+)+b", EVIL_TEXT, "re2"),
        (r"\bsanctions\b", "new sanctions", "re2"),
        (r"\bsanctions\b", "Nestlé sanctions", "re"),
        (r"\bsanctions\b", "sanctions — “quoted”", "re2"),  # punctuation is not a letter: RE2 agrees
        (r"falls$", "falls\n", "re"),
        (r"(?m)falls$", "falls\n", "re2"),
        (r"(\w)\1", "aa", "re"),
        (r"(?<=a)b", "ab", "re"),
    ],
)
def test_which_engine_runs_a_pattern(source: str, engine_text: str, engine: str) -> None:
    assert compile_rule_regex(source, re.IGNORECASE).engine_for(engine_text) == engine


@pytest.mark.timeout(60)
def test_a_catastrophic_pattern_that_re2_can_run_evaluates_in_linear_time(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml", "id: r\ntitle: R\nmatch:\n  s: {regex: '(a+)+c|(a+)+d'}\nexamples: {match: [ac]}\n"
    )
    ruleset = load_rules([rule_files.root])
    assert not ruleset.evaluate(article_from_text(EVIL_TEXT + "x"))  # hours on Python's re


@pytest.mark.parametrize(
    ("source", "dangerous"),
    [
        (r"(a+)+$", "+"),
        (r"(\w+\s?)*", "+"),
        (r"(\d+,?)+", "+"),
        (r"(.*,)+x", "*"),
        (r"((ab)+)+", "+"),
        (r"(?i)(?:A+a)+", "+"),
        (r"(?=(a+)+)b", "+"),
        (r"(?:\w+\s+){0,5}sanctions", None),
        (r"(?:[A-Z]\w+ )+Ltd", None),
        (r"(?:a+b)+", None),
        (r"(?:\w+(?:,\s*|\s+and\s+))+", None),
        (r"(?:port|harbou?r)\s+of", None),
    ],
)
def test_ambiguous_nested_repeats_are_found(source: str, dangerous: str | None) -> None:
    assert ambiguous_nested_repeat(source) == dangerous


RISKY = [
    pytest.param(
        r"(a+)+$",
        "a repeat '+' inside another repeat can take the characters of what follows it, and this pattern "
        "runs on Python's re engine because of $, for text ending in a newline",
        id="nested repeat with $",
    ),
    pytest.param(
        r"(?<=on )(\w+\s?)+",
        "runs on Python's re engine because RE2 cannot run a lookahead or lookbehind",
        id="nested repeat with a lookbehind",
    ),
    pytest.param(
        r"\b(\d+,?)+\b",
        "because of \\b or \\B, for articles with non-ASCII letters",
        id="nested repeat with a word boundary",
    ),
]


@pytest.mark.parametrize(("source", "why"), RISKY)
def test_a_pattern_that_may_backtrack_exponentially_is_a_located_error(
    rule_files: RuleFiles, source: str, why: str
) -> None:
    path = rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch:\n  s:\n    regex: '{source}'\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    [problem] = caught.value.problems
    assert str(problem.location) == f"{path}:5:12"
    assert problem.message.startswith(f"regex '{source}' can take exponential time")
    assert why in problem.message
    assert problem.hint is not None and "rewrite it" in problem.hint


def test_the_same_shape_is_fine_where_re2_always_runs_it(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml", "id: r\ntitle: R\nmatch:\n  s:\n    regex: '(a+)+c'\nexamples: {match: [ac]}\n"
    )
    assert load_rules([rule_files.root]).ids == ("r",)


@pytest.mark.timeout(60)
def test_rules_check_with_a_catastrophic_no_match_example_finishes(rule_files: RuleFiles) -> None:
    """Once, ``rules check`` hung forever on this file's no_match example."""
    path: Path = rule_files.write(
        "r.yaml",
        f"id: r\ntitle: R\nmatch:\n  s: {{regex: '(a+)+$'}}\nexamples:\n  no_match: ['{EVIL_TEXT}\n\n']\n",
    )
    problems = check_rules([rule_files.root])
    assert [f"{p.location}: {p.message.split(':')[0]}" for p in problems] == [
        f"{path}:4:14: regex '(a+)+$' can take exponential time"
    ]


@pytest.mark.timeout(60)
def test_rules_check_runs_a_catastrophic_shape_on_re2(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        f"id: r\ntitle: R\nmatch:\n  s: {{regex: '(a+)+c'}}\nexamples:\n  no_match: ['{EVIL_TEXT}']\n",
    )
    assert check_rules([rule_files.root]) == []


def test_a_regex_nested_too_deeply_to_check_is_a_located_error(rule_files: RuleFiles) -> None:
    source = "(?:" * 400 + "a" + ")+" * 400
    path = rule_files.write("r.yaml", f"id: r\ntitle: R\nmatch:\n  s:\n    regex: '{source}'\n")
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:12: regex nests groups too deeply to check (flatten it: no rule needs that)"
    ]


# Patterns RE2 cannot run, or not on every text: a looser RE2 pattern screens the text first, and Python's
# re runs only from where that one first matches. (pattern, texts): the same matches as re alone.
SCREENED = [
    (r"(?<!first )\bmet\b", ["they met", "the first met, then met again", "no meeting here", "Émile met"]),
    (r"(?:^|(?<=[.!?]\s)|(?<=\n))(?-i:They) (?:are|were)", ["x. They are", "They were. x", "x They are"]),
    (r"(?<=: )\w+", ["names: Acme", "names:Acme", "a: b: c"]),
    (r"sanction(?!ed)\w*", ["sanctioned", "sanctions sanctioned sanctioning", ""]),
    (r"\bcafé\b", ["un café", "cafés", "décafé café"]),
    (r"falls$", ["Oil falls\n", "Oil falls\nagain", "Oil falls"]),
    (r"(?>a+)b", ["aaab", "b", "aaa"]),
    (r"a++b", ["aab", "ab a"]),
    (r"(\w)\1", ["aa", "ab"]),  # a backreference: no screen, re alone
]


@pytest.mark.parametrize(("source", "texts"), SCREENED)
def test_the_re2_screen_never_hides_a_match_of_pythons_re(source: str, texts: list[str]) -> None:
    compiled = compile_rule_regex(source, re.IGNORECASE)
    assert (compiled.screen is None) == (source == r"(\w)\1")
    for text in texts:
        assert _found(compiled, text) == _found(compiled.python, text), text


def test_every_shipped_rule_regex_finds_what_pythons_re_finds_on_the_dev_corpus() -> None:
    """The screen and the engine choice together, on the patterns and the news they were written for."""
    from monitor.pipeline.rule_eval.labels import load_labels
    from monitor.rules.regexes import AnyRegex

    root = Path(__file__).resolve().parents[2]
    ruleset = load_rules([root / "rules"])
    files = sorted((root / "rules" / "eval" / "dev").glob("extra6*.yaml"))
    texts = [a.title + "\n\n" + a.text for a in load_labels(files)]
    assert len(texts) > 500 and any(not t.isascii() for t in texts)
    patterns = [
        regex
        for rule in ruleset.rules
        for selection in rule.matcher.selections.values()
        for predicate in selection.predicates
        if isinstance(predicate, AnyRegex)
        for _, regex in predicate.patterns
    ]
    assert sum(regex.screen is not None for regex in patterns) > 10
    for regex in patterns:
        for text in texts:
            assert _found(regex, text) == _found(regex.python, text), (regex.source, text[:80])


def test_a_group_named_name_captures_the_distinct_names_like_an_entity_selection(
    rule_files: RuleFiles,
) -> None:
    rule_files.write(
        "listed.yaml",
        r"""
        version: 2
        id: listed
        title: Names at the start of bulleted lines
        match:
          named: {regex: ['(?m)^- (?P<name>[A-Z][^\n(,;]{1,60}?)(?=\s*[(,;])'], names: true}
        condition: named
        """,
    )
    text = "The targets are:\n- Vantor Ship FZE (UAE), manager;\n- Ilia Brand (born 1969);\n- Vantor Ship FZE, again"
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text(text)).matches
    assert match.captures["named"] == ["Ilia Brand", "Vantor Ship FZE"]
    assert "name" not in match.captures


def test_a_name_group_in_a_pattern_re2_runs_is_read_by_its_number(rule_files: RuleFiles) -> None:
    rule_files.write(  # no lookaround: RE2 runs it, and RE2's matches take no group name (this raised)
        "table.yaml",
        r"""
        version: 2
        id: table
        title: Names in the first column of a table
        match:
          named: {regex: ['(?m)^(?P<name>[A-Z][^|\n]{1,60}?) \| entity'], names: true}
        condition: named
        """,
    )
    text = "Target | Type\nVantor Ship FZE | entity\nKaspi Line Ltd | entity"
    (match,) = load_rules([rule_files.root]).evaluate(article_from_text(text)).matches
    assert match.captures["named"] == ["Kaspi Line Ltd", "Vantor Ship FZE"]


def test_years_before_keeps_only_matches_dated_that_long_before_the_article(rule_files: RuleFiles) -> None:
    rule_files.write(
        "history.yaml",
        r"""
        version: 2
        id: history
        title: A meeting told as history
        match:
          dated: {regex: ['\bmet\s+in\s+(?:[A-Z]\w+\s+in\s+)?(?:19|20)\d\d\b'], years_before: 1}
        condition: dated
        """,
    )
    rules = load_rules([rule_files.root])

    def holds(text: str, year: int) -> bool:
        article = article_from_text(text, published_at=datetime(year, 6, 1, tzinfo=UTC))
        return bool(rules.evaluate(article).matches)

    assert holds("When the two presidents met in Honiara in 2021, they promised a patrol pact.", 2026)
    assert not holds("When the two presidents met in Honiara in 2021, they promised a patrol pact.", 2021)
    assert not holds("The leaders met in 2027 according to the plan.", 2026)


def test_an_option_only_a_regex_reads_is_an_error_elsewhere(rule_files: RuleFiles) -> None:
    path = rule_files.write(
        "misplaced.yaml",
        """
        version: 2
        id: misplaced
        title: years_before on a phrase
        match:
          dated: {phrases: [met], years_before: 1}
        condition: dated
        """,
    )
    with pytest.raises(RuleError) as caught:
        load_rules([rule_files.root])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:27: 'years_before' applies to a regex only (add a regex)"
    ]
