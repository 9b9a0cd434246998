"""``newsmon`` as a user types it: help, checks with located errors, feeds, dry runs, alerts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli

RULE = """\
id: port-strike
title: Port strike
match:
  action: {phrases: [strike, walkout]}
  place: {phrases: [port, dock]}
condition: action and place
"""


def newsmon(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "port.yaml").write_text(RULE)
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "subscribers:\n  - {name: me, urls: ['console://']}\n"
    )
    assert newsmon("--config", str(path), "db", "upgrade").exit_code == 0
    return path


def test_help_lists_every_command() -> None:
    result = newsmon("--help")
    assert result.exit_code == 0
    for command in ("run", "check", "feeds", "db", "rules", "match", "alerts"):
        assert f"  {command} " in result.output
    feeds = newsmon("feeds", "--help").output
    for sub in ("list", "add", "remove", "import-opml", "export-opml"):
        assert f"  {sub} " in feeds
    assert "--once" in newsmon("run", "--help").output


def test_python_dash_m_monitor_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "newsmon" in result.stdout and "match" in result.stdout


def test_check_reports_config_errors_with_file_and_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("polling:\n  tick_s: -1\n  intervl: 5\n")
    result = newsmon("--config", str(path), "check")
    assert result.exit_code == 2
    assert f"{path}:2:11: polling.tick_s: Input should be greater than 0" in result.stderr
    assert f"{path}:3:3: unknown key 'intervl'" in result.stderr


def test_check_reports_the_rules_problems_even_when_the_config_does_not_load(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "bad.yaml").write_text(
        "id: x\ntitle: X\nmatch:\n  a: {phrases: [strike], bogus: 1}\n"
    )
    path = tmp_path / "c.yaml"
    path.write_text("rules: {paths: [mine]}\npolling:\n  tick_s: -1\n")
    result = newsmon("--config", str(path), "check")
    assert result.exit_code == 2
    assert f"{path}:3:11: polling.tick_s" in result.stderr
    assert f"{tmp_path / 'mine' / 'bad.yaml'}:4:26: unknown key 'bogus'" in result.stderr
    assert "2 error(s)" in result.stderr


def test_check_passes_a_good_config(config: Path) -> None:
    result = newsmon("--config", str(config), "check")
    assert result.exit_code == 0, result.stderr
    assert "OK" in result.output


def test_a_bad_subscriber_channel_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "c.yaml"
    path.write_text("subscribers:\n  - name: me\n    urls: ['nosuchscheme://x']\n")
    result = newsmon("--config", str(path), "check")
    assert result.exit_code == 2
    assert f"{path}:3:12:" in result.stderr


def test_rules_check_locates_a_bad_rule(tmp_path: Path) -> None:
    rule = tmp_path / "bad.yaml"
    rule.write_text("id: x\ntitle: X\nmatch:\n  a: {phrase: [strike]}\n")
    result = newsmon("rules", "check", str(rule))
    assert result.exit_code == 2
    assert f"{rule}:4:7: unknown key 'phrase' (did you mean 'phrases'?)" in result.stderr


def test_match_json_prints_one_object_per_match_and_stores_nothing(tmp_path: Path, config: Path) -> None:
    article = tmp_path / "strike.txt"
    article.write_text("Dockers strike at the port\n\nA walkout closed the port of Eastham on Monday.\n")
    other = tmp_path / "weather.txt"
    other.write_text("Sunny weekend\n\nNothing happened at all.\n")
    result = newsmon("--config", str(config), "match", "--json", str(article), str(other))
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    found = json.loads(line)
    assert found["rule"] == "port-strike"
    assert found["article"]["title"] == "Dockers strike at the port"
    assert set(found["article"]) >= {"title", "link", "guid"}
    assert "strike" in [m.lower() for m in found["captures"]["matched"]]
    assert "1 match(es) in 2 source(s)" in result.stderr
    listed = newsmon("--config", str(config), "alerts", "list")
    assert "no alerts" in listed.output


def test_match_reads_feed_files_and_reports_broken_sources_without_stopping(
    tmp_path: Path, config: Path
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<rss version="2.0"><channel><title>Ports</title><item><title>Port strike spreads</title>'
        "<link>https://ports.example/1</link><description>A walkout at the dock.</description></item>"
        "</channel></rss>"
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [')
    result = newsmon("--config", str(config), "match", str(broken), str(feed))
    assert result.exit_code == 1
    assert "port-strike [medium] matched: Port strike spreads" in result.output
    assert f"error: {broken}" in result.stderr or "broken.json" in result.stderr


def test_commands_on_an_unmigrated_database_say_to_upgrade(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "c.yaml"
    path.write_text(f"database: {{url: 'sqlite:///{tmp_path}/fresh.sqlite'}}\n")
    result = newsmon("--config", str(path), "feeds", "list")
    assert result.exit_code == 2
    assert "newsmon db upgrade" in result.stderr


def test_run_all_without_once_is_a_usage_error(config: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(config), "run", "--all"])
    assert result.exit_code == 2
    assert "--all only makes sense with --once" in result.stderr


def test_match_over_a_folder_reports_every_bad_file_goes_on_and_exits_1(tmp_path: Path, config: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-broken.json").write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [')
    os.mkfifo(folder / "b-fifo.xml")  # reading it would block forever
    (folder / "d-good.xml").write_text(
        '<rss version="2.0"><channel><title>Ports</title><item><title>Port strike spreads</title>'
        "<link>https://ports.example/1</link><description>A walkout at the dock.</description></item>"
        "</channel></rss>"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"

    result = newsmon("--config", str(config), "match", str(folder), closed)

    assert result.exit_code == 1
    assert "port-strike [medium] matched: Port strike spreads" in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip().rsplit("/", 1)[-1] for e in errors[:2]] == ["a-broken.json", "b-fifo.xml"]
    assert "not a regular file" in errors[1]
    assert "127.0.0.1" in errors[2]
    assert "Traceback" not in result.stderr
    assert "1 match(es) in 2 source(s), 3 source(s) failed" in result.stderr
