"""``newsmon rules test`` output: one mark per example, each failure with where and what, a summary line."""

from __future__ import annotations

from monitor.rules import ExampleCounts, format_example_report, load_rules, run_examples
from tests.rules.conftest import RuleFiles


def test_the_report_reads_like_pytest(rule_files: RuleFiles) -> None:
    path = rule_files.write(
        "oil.yaml",
        """\
        - id: oil
          title: Oil
          match: {a: {phrases: [oil]}}
          examples:
            match: ["oil prices", "crude prices"]
            no_match: ["gas prices"]
        - id: firms
          title: Firms
          match: {a: {entity: ORG}}
          examples: {match: ["Acme Corp"]}
        """,
    )
    results = run_examples(load_rules([rule_files.root]))
    assert ExampleCounts.of(results) == ExampleCounts(passed=2, failed=1, skipped=1)
    lines = format_example_report(results, elapsed_s=0.25).splitlines()
    file = str(path)
    assert lines[0] == f"{file}  oil    .F.  [1 failed, 2 passed]"
    assert lines[1] == f"{file}  firms  s  [1 skipped]"
    assert lines[2].strip("=") == " FAILURES "
    assert lines[3].strip("_") == f" oil: match example 2 ({file}:5:27) "
    assert lines[4:7] == [
        "expected a match, but the rule did not hold: selection 'a' did not hold",
        "-" * 78,
        "content: crude prices",
    ]
    assert lines[7] == (
        "skipped 1 example(s) of firms: the rule reads entities or quantities, and no enrichment was given"
    )
    assert lines[8].strip("=") == " 1 failed, 2 passed, 1 skipped in 0.25s "


def test_all_passed(rule_files: RuleFiles) -> None:
    rule_files.write("r.yaml", "id: r\ntitle: R\nmatch: {a: {phrases: [oil]}}\nexamples: {match: [oil]}\n")
    report = format_example_report(run_examples(load_rules([rule_files.root])))
    assert report.splitlines()[-1].strip("=") == " 1 passed "
