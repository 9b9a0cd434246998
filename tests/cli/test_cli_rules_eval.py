"""``newsmon rules eval`` and ``newsmon match --why`` as a user types them (real enricher, own rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "tests" / "pipeline" / "eval_rules"
LABELS = REPO / "tests" / "pipeline" / "labels"


def newsmon(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", "/nonexistent/newsmon.yaml", *args], catch_exceptions=False)


def test_rules_eval_prints_a_table_then_every_mistake_and_progress_on_stderr() -> None:
    result = newsmon("rules", "eval", "--rules", str(RULES), str(LABELS))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("rules eval: 7 articles from 1 file(s), enrichment: en_core_web_sm")
    assert lines[2].split() == ["rule", "labeled", "TP", "FP", "FN", "precision", "recall", "F1", "captures"]
    assert lines[3].split() == ["export-ban", "3", "3", "0", "0", "1.00", "1.00", "1.00", "2/3", "(0.67)"]
    assert lines[4].split() == ["port-strike", "2", "1", "1", "1", "0.50", "0.50", "0.50", "1/1", "(1.00)"]
    assert lines[5].startswith("stories: B-cubed precision")
    assert lines[6:9] == [
        "by class (caught/labeled):",
        "  export-ban: named 1/1, named-with-authority 1/1, repeat 1/1",
        "  port-strike: no-strike-word 0/1, plain 1/1; false positives: other-sense 1",
    ]
    out = result.stdout
    assert "==== false positives (1) ====\nport-strike  t-port-004 [other-sense] " in out
    assert "==== false negatives (1) ====\nport-strike  t-port-002 [no-strike-word] " in out
    assert "    because: it would hold if 'action' held" in out
    assert "==== wrong captures (1) ====" in out
    assert "rules eval: enriched 7/7 articles" in result.stderr
    assert "rules eval: evaluated 7/7 articles" in result.stderr


def test_min_f1_fails_the_run_naming_the_rules_below_it() -> None:
    result = newsmon("rules", "eval", "--min-f1", "0.95", "--rules", str(RULES), str(LABELS))
    assert result.exit_code == 1
    assert "rules eval: below the floor (F1 0.95): port-strike (F1 0.500, captures 1.000)" in result.stderr
    passing = newsmon(
        "rules", "eval", "--min-f1", "0.95", "--rule", "export-ban", "--rules", str(RULES), str(LABELS)
    )
    assert passing.exit_code == 0, passing.stderr
    captures = newsmon(
        "rules", "eval", "--min-captures", "1", "--rule", "export-ban", "--rules", str(RULES), str(LABELS)
    )
    assert captures.exit_code == 1


def test_json_holds_the_same_figures_for_machines() -> None:
    result = newsmon("rules", "eval", "--json", "--stream", "--rules", str(RULES), str(LABELS))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["stream"] is True and report["articles"] == 7
    ban = next(rule for rule in report["rules"] if rule["rule"] == "export-ban")
    assert (ban["tp"], ban["fp"], ban["fn"], ban["recall"]) == (2, 0, 1, 2 / 3)
    [missed] = [fn for fn in report["false_negatives"] if fn["rule"] == "export-ban"]
    assert missed["article"] == "t-ban-003" and missed["because"].startswith("new_term: already seen")
    assert missed["location"].endswith("tests/pipeline/labels/ports.yaml:64:7")
    assert set(report["stories"]) >= {"precision", "recall", "f1", "merged", "split"}
    assert report["classes"]["export-ban"]["repeat"] == {"labeled": 1, "caught": 0, "false_positives": 0}


def test_bad_labels_exit_2_with_every_problem_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- id: a\n  published: 2026-01-01\n  txt: t\n", encoding="utf-8")
    result = newsmon("rules", "eval", "--rules", str(RULES), str(path))
    assert result.exit_code == 2
    assert f"{path}:2:14: 'published' is not a date and time" in result.stderr
    assert f"{path}:3:3: unknown key 'txt' (did you mean 'text'?)" in result.stderr
    assert f"{path}:1:3: article without 'text'" in result.stderr


def test_match_why_explains_each_article_for_one_rule(tmp_path: Path) -> None:
    stoppage = tmp_path / "stoppage.txt"
    stoppage.write_text("Harbour staff stop work\n\nContainer ships queued outside the port on Monday.\n")
    strike = tmp_path / "strike.txt"
    strike.write_text("Dockers strike\n\nDock workers at the port began a strike on Monday.\n")
    result = newsmon("match", "--rules", str(RULES), "--why", "port-strike", str(stoppage), str(strike))
    assert result.exit_code == 0, result.stderr
    assert (
        "port-strike does not hold: Harbour staff stop work\n    because: it would hold if 'action' held"
        in result.stdout
    )
    assert "port-strike alerts: Dockers strike\n    why: selection 'action' held" in result.stdout
    assert "port-strike: alerts on 1 of 2 article(s)" in result.stderr
    unknown = newsmon("match", "--rules", str(RULES), "--why", "nosuch", str(strike))
    assert unknown.exit_code == 2 and "no such rule: 'nosuch'" in unknown.stderr


@pytest.mark.slow  # two worker processes load their own model
def test_jobs_read_in_several_processes_and_report_the_same() -> None:
    args = ("rules", "eval", "--json", "--stream", "--rules", str(RULES), str(LABELS))
    one = newsmon(*args)
    two = newsmon(*args, "--jobs", "2")
    assert one.exit_code == 0 and two.exit_code == 0, two.stderr
    assert json.loads(two.stdout) == json.loads(one.stdout)
    assert "rules eval: enriched 7/7 articles" in two.stderr
