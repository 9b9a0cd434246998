"""The built wheel stands alone: installed into a fresh virtualenv, away from this checkout, it writes its
starter config, validates it, creates its database and polls a real local feed to an alert.

Dependencies are not downloaded again: the fresh virtualenv sees this checkout's virtualenv's packages
through a path entry, while ``monitor`` itself comes only from the wheel (the editable install's finder is
not activated by a plain path entry, and the test checks where ``monitor`` was imported from).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.feed_server import FeedServer

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

RECALL_FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Motor Desk</title><link>http://127.0.0.1/</link>
<item><guid>motor-1</guid><title>Example Motors recalls 40,000 cars</title>
<link>http://127.0.0.1/motor-1</link><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate>
<description>Example Motors recalled 40,000 cars over a faulty brake sensor, the regulator said.</description>
</item></channel></rss>"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the built newsmon wheel installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    # build from a clean copy of the sources: setuptools' build/ folder in a checkout keeps files that were
    # renamed or deleted since the last build, and they would end up in the wheel
    source = root / "source"
    shutil.copytree(REPO / "monitor", source / "monitor", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(root / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("newsmon-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)  # ensurepip: offline, from the interpreter's own wheel
    python = env_dir / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that would let the checkout leak in."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NEWSMON_"))}


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "newsmon"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_environment(),
        timeout=180,
    )


def test_the_wheel_inits_checks_migrates_and_alerts_on_a_local_feed(
    installed: Path, tmp_path: Path, server: FeedServer
) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import monitor; print(monitor.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert str(installed.parent) in where.stdout, where.stdout + where.stderr  # not this checkout

    assert run(installed, tmp_path, "init", "site").returncode == 0
    config = str(tmp_path / "site" / "newsmon.yaml")
    feed = server.route("/motors.xml", body=RECALL_FEED, content_type="application/rss+xml")
    steps = [
        ("check",),
        ("db", "upgrade"),
        ("feeds", "add", feed, "--name", "Motor Desk"),
        ("run", "--once"),
    ]
    results = [run(installed, tmp_path, "--config", config, *step) for step in steps]
    for step, result in zip(steps, results, strict=True):
        assert result.returncode == 0, f"newsmon {' '.join(step)}: {result.stderr}"
    once = results[-1]
    assert "Product recall by a watched company" in once.stdout + once.stderr
    assert "Example Motors" in once.stdout + once.stderr
    assert "polled 1 feeds (1 new articles" in once.stderr
