"""Bugs rule authors met (issue 9): each as the author typed it, with what they should have seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.enrichment import units
from monitor.pipeline.authoring import canonical_units

WATCHED = """\
id: watched-firm
title: A watched firm in the news
match:
  firm: {watchlist: shipping}
key: "{firm}"
"""

NEW_TERM = """\
id: new-firm
title: A firm named for the first time
match:
  firm: {regex: 'firm (?P<name>(?-i:[A-Z]\\w+))'}
key: "{name}"
new_term: {field: name, within: 30d}
"""


def newsmon(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config whose own rules folder has a different watch list than the folder passed with --rules."""
    (tmp_path / "rules" / "watchlists").mkdir(parents=True)
    (tmp_path / "rules" / "watchlists" / "other.yaml").write_text("entries: [Borealis Freight]\n")
    path = tmp_path / "newsmon.yaml"
    path.write_text("rules: {paths: [rules]}\nenrichment: {model: blank}\n")
    return path


def test_match_with_rules_dir_reads_that_dirs_watch_lists(tmp_path: Path, config: Path) -> None:
    authored = tmp_path / "draft"
    (authored / "watchlists").mkdir(parents=True)
    (authored / "watchlists" / "shipping.yaml").write_text("entries: [Acme Shipping]\n")
    (authored / "watched.yaml").write_text(WATCHED)
    article = tmp_path / "a.txt"
    article.write_text("Acme Shipping reroutes tankers\n\nAcme Shipping said on Monday it would reroute.\n")

    result = newsmon("--config", str(config), "match", "--rules", str(authored), str(article))

    assert result.exit_code == 0, result.output
    assert "watched-firm [medium] matched: Acme Shipping reroutes tankers" in result.output
    assert "key: Acme Shipping" in result.output


def test_match_says_memory_hides_later_articles_and_no_memory_shows_them(
    tmp_path: Path, config: Path
) -> None:
    (tmp_path / "rules" / "new-firm.yaml").write_text(NEW_TERM)
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("Firm Acme sued\n\nThe firm Acme was sued.\n")
    second.write_text("Firm Acme again\n\nThe firm Acme was sued again.\n")

    remembered = newsmon("--config", str(config), "match", str(first), str(second))
    forgotten = newsmon("--config", str(config), "match", "--no-memory", str(first), str(second))

    assert remembered.output.count("new-firm [medium] matched") == 1
    assert forgotten.output.count("new-firm [medium] matched") == 2
    helptext = " ".join(newsmon("match", "--help").output.split())
    assert "may stay silent on a later article because an earlier one of the same run already alerted" in (
        helptext
    )
    assert "--no-memory" in helptext


def test_rules_check_reports_an_unknown_watch_list_and_unit_with_did_you_mean(
    tmp_path: Path, config: Path
) -> None:
    rules = tmp_path / "rules"
    (rules / "watched.yaml").write_text(WATCHED.replace("watchlist: shipping", "watchlist: othr"))
    (rules / "figure.yaml").write_text(
        "id: figure\ntitle: F\nmatch:\n  f: {quantity: {unit: [barrels_per_day, bpd]}}\n"
        "examples: {match: ['exports of 5 bpd']}\n"
    )
    result = newsmon("--config", str(config), "rules", "check", "--no-examples")
    assert result.exit_code == 2
    assert (
        f"{rules / 'figure.yaml'}:4:42: unknown unit 'bpd' (did you mean 'barrels_per_day'? "
        "(rules name the canonical unit; 'bpd' is how articles write it))"
    ) in result.output
    assert (
        f"{rules / 'watched.yaml'}:4:21: unknown watch list 'othr' (did you mean 'other'?)" in result.output
    )


def test_docs_list_every_unit_and_the_watch_list_format() -> None:
    """The unit list in docs/rules.md once ended in '…', and the watch-list format was written nowhere."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.MULTILINE))
    assert {u for u in canonical_units() if not u.startswith("currency:")} <= table
    money = doc[doc.index("`currency:CODE`") : doc.index("### Watch lists")]
    for code in set(units.CURRENCY_PREFIXES.values()) | set(units.CURRENCY_WORDS.values()):
        assert code in money
    for per in set(units.PER_UNIT_WORDS.values()):
        assert f"`{per}`" in money
    watchlists = doc[doc.index("### Watch lists") :]
    for key in ("watchlist:", "label:", "case_sensitive:", "entries:", "aliases:", "name:"):
        assert key in watchlists
