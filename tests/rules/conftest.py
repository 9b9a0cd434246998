"""Helpers for the rule tests: rule files written into ``tmp_path`` from inline text, and the enricher."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor import enrichment
from monitor.rules import Enricher
from monitor.settings.models import EnrichmentSettings

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


@pytest.fixture(scope="session")
def enrich() -> Enricher:
    """The real enrichment stage (spaCy's model and the bundled watch lists), loaded once per session.

    Only the few tests that check the bundled rules as the daemon runs them use it; everything else builds
    ``Enrichment`` values by hand.
    """
    enricher = enrichment.Enricher.from_settings(EnrichmentSettings(), [BUNDLED_RULES])
    return lambda article: enricher.enrich([article])[0]
