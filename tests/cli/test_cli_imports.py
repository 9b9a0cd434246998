"""A command line that answers at once: each command imports only the heavy libraries it uses.

``newsmon --help`` used to import SQLAlchemy, Alembic, apprise and numpy (~1.7 s of CPU) and `rules check`
loaded the spaCy model for keyword rules. Each case runs the real command in a fresh interpreter under
``python -X importtime`` and reads which top-level modules it imported.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = frozenset({"spacy", "apprise", "alembic", "numpy"})
RULE = "id: port\ntitle: Port strike\nmatch:\n  action: {phrases: [strike]}\ncondition: action\n"


def imported(*args: str) -> set[str]:
    """The top-level packages ``newsmon ARGS`` imports (from ``-X importtime``); the command must succeed."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.M)
    assert names, "no -X importtime output"
    return {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-imports")
    (root / "rules").mkdir()
    (root / "rules" / "port.yaml").write_text(RULE)
    path = root / "newsmon.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{root}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "subscribers:\n  - {name: me, urls: ['console://']}\n"
    )
    imported("--config", str(path), "db", "upgrade")
    return path


def test_help_imports_no_heavy_library_nor_the_database_layer() -> None:
    found = imported("--help")
    assert found & (HEAVY | {"sqlalchemy", "pydantic", "httpx", "jinja2"}) == set()


@pytest.mark.parametrize("command", [["status"], ["feeds", "list"], ["alerts", "list"]])
def test_reading_commands_import_no_heavy_library(config: Path, command: list[str]) -> None:
    assert imported("--config", str(config), *command) & HEAVY == set()


def test_rules_check_of_keyword_rules_loads_no_model(config: Path) -> None:
    assert imported("--config", str(config), "rules", "check", str(config.parent / "rules")) & HEAVY == set()


def test_a_command_that_needs_a_library_still_loads_it(config: Path) -> None:
    """The guard works: `check` validates the subscribers' channel URLs, which is apprise's job."""
    assert "apprise" in imported("--config", str(config), "check")


def test_a_parse_worker_imports_the_parser_only() -> None:
    """A worker imports the module of what it runs and of what it unpickles: the initializer and the parse
    job must not drag in the database layer, apprise or the rule compiler (a second of CPU per worker)."""
    probe = (
        "import pickle, sys\n"
        "from datetime import datetime, timezone\n"
        "from monitor.daemon.worker_start import init_worker\n"
        "from monitor.parsing.job import ParseJob\n"
        "job = ParseJob(b'<rss/>', 'http://x/', datetime.now(timezone.utc), None, frozenset(), 1000)\n"
        "pickle.loads(pickle.dumps(job))\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(result.stdout.split())
    assert "feedparser" in loaded  # the probe did load the parser
    assert loaded & (HEAVY | {"sqlalchemy", "pydantic", "httpx", "jinja2", "apscheduler"}) == set()
