"""Helpers for the rule tests: rule files written into ``tmp_path`` from inline text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUNDLED_RULES = REPO / "rules"


class RuleFiles:
    """A folder of rule files for one test; ``write`` dedents, so tests can indent YAML naturally."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path


@pytest.fixture
def rule_files(tmp_path: Path) -> RuleFiles:
    return RuleFiles(tmp_path / "rules")
