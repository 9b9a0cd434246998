"""A command line that answers at once: each command imports only the heavy libraries it uses.

``newsmon --help`` used to import SQLAlchemy, Alembic, apprise and numpy (~1.7 s of CPU) and `rules check`
loaded the spaCy model for keyword rules. A warm ``run --once`` (nothing new, nobody to alert) imported
apprise and had it load every plugin, jinja2, numpy and APScheduler (~0.5 s of its ~2 s of CPU). Each case
runs the real command in a fresh interpreter under ``python -X importtime`` and reads which top-level
modules it imported.
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
# what a poll with nothing new and nobody to alert has no use for
NOT_FOR_A_WARM_POLL = HEAVY | {"jinja2", "apscheduler"}
ITEM = (
    "<item><title>Dockers strike at {port}</title><guid>{port}</guid><link>https://news.example/{port}</link>"
    "<description>Workers at the port of {port} went on strike on Monday, Reuters reported.</description></item>"
)
FEED = '<rss version="2.0"><channel><title>Ports</title>{items}</channel></rss>'


def run_command(*args: str) -> tuple[set[str], str]:
    """The top-level packages ``newsmon ARGS`` imports (from ``-X importtime``) and the rest of its stderr;
    the command must succeed."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    timing = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", re.M)
    names = timing.findall(result.stderr)
    assert names, "no -X importtime output"
    return {name.split(".")[0] for name in names}, timing.sub("", result.stderr)


def imported(*args: str) -> set[str]:
    """The top-level packages ``newsmon ARGS`` imports; the command must succeed."""
    return run_command(*args)[0]


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


def polled_once(root: Path, enrichment: str, subscribers: str = "") -> tuple[Path, set[str]]:
    """A config with one ``file://`` feed of two articles and a keyword rule, and what its first
    ``run --once --all`` imported (it stores, enriches and matches the articles)."""
    (root / "rules").mkdir()
    (root / "rules" / "port.yaml").write_text(RULE)
    feed = root / "ports.xml"
    feed.write_text(FEED.format(items="".join(ITEM.format(port=port) for port in ("Rotterdam", "Antwerp"))))
    path = root / "newsmon.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{root}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        f"enrichment: {enrichment}\n"
        f"feeds:\n  - {{url: '{feed.as_uri()}'}}\n" + subscribers
    )
    imported("--config", str(path), "db", "upgrade")
    first, said = run_command("--config", str(path), "run", "--once", "--all")
    assert "(2 new articles" in said, said
    return path, first


def warm_poll(config: Path) -> set[str]:
    """What a second ``run --once --all`` imports: the feed has not changed, nothing is new."""
    found, said = run_command("--config", str(config), "run", "--once", "--all")
    assert "(0 new articles, 1 not modified" in said and "processed 0 articles" in said, said
    return found


def test_a_warm_poll_without_subscribers_imports_no_heavy_library(tmp_path: Path) -> None:
    """The benchmark's keyword mode: enrichment off, nobody to alert."""
    config, _ = polled_once(tmp_path, "{enabled: false}")
    assert warm_poll(config) & NOT_FOR_A_WARM_POLL == set()


def test_a_warm_poll_with_enrichment_loads_no_model_and_files_no_story(tmp_path: Path) -> None:
    """The shipped config's mode: the first poll enriches with the spaCy model and files stories (numpy);
    the next one, with nothing new, needs neither."""
    config, first = polled_once(tmp_path, "{enabled: true, mode: everything}")
    assert {"spacy", "numpy"} <= first  # the guard works: work in hand loads them
    assert warm_poll(config) & NOT_FOR_A_WARM_POLL == set()


def test_a_run_with_subscribers_still_checks_their_channels_with_apprise(tmp_path: Path) -> None:
    """Start-up still validates every subscriber's channel URLs (apprise's job) before the first poll."""
    config, first = polled_once(
        tmp_path, "{enabled: false}", "subscribers:\n  - {name: me, urls: ['console://']}\n"
    )
    assert {"apprise", "jinja2"} <= first  # checked, then the match alerted: rendered and delivered
    assert "apprise" in warm_poll(config)
