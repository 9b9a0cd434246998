"""Where rules come from: folders, lists, several documents per file, and what is skipped."""

from __future__ import annotations

from pathlib import Path

from monitor.rules import find_rule_files, load_rules
from tests.rules.conftest import RuleFiles
from tests.support.fifo import fifo

RULE = "id: {id}\ntitle: T\nmatch: {{a: {{phrases: [oil]}}}}\nexamples: {{match: [oil]}}\n"


def test_rule_files_are_found_recursively_sorted_and_watchlists_are_skipped(rule_files: RuleFiles) -> None:
    rule_files.write("b.yml", RULE.format(id="b"))
    rule_files.write("a.yaml", RULE.format(id="a"))
    rule_files.write("energy/c.yaml", RULE.format(id="c"))
    rule_files.write("watchlists/companies.yaml", "- Acme Oil\n- Orlov Capital\n")
    rule_files.write("energy/watchlists/ports.yaml", "- Valmere\n")
    rule_files.write(".drafts/d.yaml", RULE.format(id="d"))
    rule_files.write("notes.txt", "not a rule")
    files, problems = find_rule_files([rule_files.root])
    assert [path.relative_to(rule_files.root).as_posix() for path in files] == [
        "a.yaml",
        "b.yml",
        "energy/c.yaml",
    ]
    assert problems == []
    assert load_rules([rule_files.root]).ids == ("a", "b", "c")


def test_a_path_may_name_a_single_file(rule_files: RuleFiles) -> None:
    rule_files.write("a.yaml", RULE.format(id="a"))
    only = rule_files.write("b.yaml", RULE.format(id="b"))
    assert load_rules([only]).ids == ("b",)


def test_a_file_may_hold_a_list_of_rules_and_several_documents(rule_files: RuleFiles) -> None:
    rule_files.write(
        "many.yaml",
        """\
        - id: one
          title: One
          match: {a: {phrases: [oil]}}
          examples: {match: [oil]}
        - id: two
          title: Two
          match: {a: {phrases: [gas]}}
          examples: {match: [gas]}
        ---
        id: three
        title: Three
        match: {a: {phrases: [coal]}}
        examples: {match: [coal]}
        ---
        """,
    )
    ruleset = load_rules([rule_files.root])
    assert ruleset.ids == ("one", "two", "three")
    assert [str(rule.location).rsplit("/", 1)[-1] for rule in ruleset.rules] == [
        "many.yaml:1:3",
        "many.yaml:5:3",
        "many.yaml:10:1",
    ]


def test_an_empty_folder_is_a_warning_not_an_error(rule_files: RuleFiles) -> None:
    rule_files.root.mkdir(parents=True)
    ruleset = load_rules([rule_files.root])
    assert ruleset.rules == ()
    assert [str(p) for p in ruleset.warnings] == [
        f"{rule_files.root}: no rule files (*.yaml, *.yml) here [warning]"
    ]


def test_the_compiled_rule_keeps_its_metadata(rule_files: RuleFiles) -> None:
    rule_files.write(
        "r.yaml",
        """\
        version: 1
        id: meta
        title: "  Metadata  "
        description: Says what it is for.
        severity: critical
        tags: [a, b]
        status: experimental
        owner: desk
        notify: [analysts, oncall]
        key: "{a}"
        match: {a: {phrases: [oil]}}
        examples: {match: [oil], no_match: [gas]}
        """,
    )
    (rule,) = load_rules([rule_files.root]).rules
    assert (rule.id, rule.title, rule.description, rule.severity, rule.tags) == (
        "meta",
        "Metadata",
        "Says what it is for.",
        "critical",
        ("a", "b"),
    )
    assert (rule.status, rule.owner, rule.notify, rule.key, rule.version, rule.type) == (
        "experimental",
        "desk",
        ("analysts", "oncall"),
        "{a}",
        1,
        "match",
    )
    assert [example.label() for example in rule.examples] == ["match example 1", "no_match example 1"]


def test_defaults(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: d\ntitle: D\nmatch: {a: {phrases: [oil]}}\n")
    (rule,) = load_rules([rule_files.root]).rules
    assert (rule.severity, rule.status, rule.tags, rule.notify, rule.owner, rule.key, rule.examples) == (
        "medium",
        "stable",
        (),
        (),
        None,
        "",
        (),
    )


def test_a_fifo_named_like_a_rule_file_is_a_located_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    with fifo(tmp_path / "rules" / "stuck.yaml") as path, fifo(tmp_path / "given.yaml") as given:
        files, problems = find_rule_files([tmp_path / "rules", given])
    assert files == []
    assert [(p.location.file, p.message) for p in problems] == [
        (str(path), "not a regular file"),
        (str(tmp_path / "rules"), "no rule files (*.yaml, *.yml) here"),
        (str(given), "not a regular file"),
    ]


def test_the_same_files_compile_once_per_process_and_an_edit_compiles_afresh(tmp_path: Path) -> None:
    rule = tmp_path / "port.yaml"
    rule.write_text(
        "id: port\ntitle: Port strike\nmatch:\n  action: {phrases: [strike]}\ncondition: action\n"
    )
    first, again = load_rules([tmp_path]), load_rules([tmp_path])
    assert (
        first.rules[0] is again.rules[0]
    )  # the start-up checks, the pipeline and a reload share one compile
    rule.write_text(rule.read_text().replace("Port strike", "Dock strike"))
    assert load_rules([tmp_path]).rules[0].title == "Dock strike"
