"""``newsmon init`` gives a new installation a config, a rule and a watch list that pass every check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each case starts newsmon (and spaCy) several times


def newsmon(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_init_writes_a_starter_that_checks_clean_and_whose_rule_examples_pass(tmp_path: Path) -> None:
    made = newsmon("init", "site", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*.yaml")) == [
        "newsmon.yaml",
        "rules/example-keyword.yaml",
        "rules/watchlists/companies.yaml",
    ]
    config = str(site / "newsmon.yaml")
    checked = newsmon("--config", config, "check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "OK — 0 feeds, 1 subscribers" in checked.stdout
    tested = newsmon("rules", "test", str(site / "rules"), cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 passed" in tested.stdout


def test_init_refuses_to_overwrite_and_names_the_files(tmp_path: Path) -> None:
    assert newsmon("init", "site", cwd=tmp_path).returncode == 0
    edited = tmp_path / "site" / "newsmon.yaml"
    edited.write_text("# mine\n")
    again = newsmon("init", "site", cwd=tmp_path)
    assert again.returncode == 2
    assert "newsmon.yaml" in again.stderr and "--force" in again.stderr
    assert edited.read_text() == "# mine\n"
    assert newsmon("init", "site", "--force", cwd=tmp_path).returncode == 0
    assert edited.read_text() != "# mine\n"


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["db", "current"], ["db", "history"], ["db", "prune", "--dry-run"]]
)
def test_db_commands_work_from_the_database_url_alone(tmp_path: Path, command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'alone.db'}"
    env_run = subprocess.run(
        [sys.executable, "-m", "monitor", *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no config/demo.yaml here
        env={"PATH": "/usr/bin:/bin", "NEWSMON_DATABASE_URL": url, "PYTHONPATH": ":".join(sys.path)},
        timeout=120,
    )
    # `db current` exits 1 on a database that still needs `db upgrade`, `db prune` 2: that is their answer
    expected = {"current": 1, "prune": 2}.get(command[1], 0)
    assert env_run.returncode == expected, env_run.stderr
    assert "config file not found" not in env_run.stderr


def test_a_config_with_only_a_database_runs_without_a_rules_folder(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.yaml"
    config.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'n.db'}'}}\n")
    assert newsmon("--config", str(config), "db", "upgrade", cwd=tmp_path).returncode == 0
    checked = newsmon("--config", str(config), "check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "rules in none yet" in checked.stdout
    # a rules folder the config names explicitly must still exist
    config.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'n.db'}'}}\nrules: {{paths: [mine]}}\n")
    missing = newsmon("--config", str(config), "check", cwd=tmp_path)
    assert missing.returncode == 2 and "no such path" in missing.stderr
