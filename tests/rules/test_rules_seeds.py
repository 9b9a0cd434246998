"""The three mission rules on the five seed articles, read from ../shared at test time.

003 (July 2025) and 002 (August 2025) talk about meetings held and planned, with sanctions only threatened
or proposed; 000, 001 and 004 (late October 2025) report the cancelled Budapest summit and new sanctions
on Russia's two largest oil companies; 001 also gives Russia's oil exports in barrels per day.
"""

from __future__ import annotations

import pytest

from monitor.domain import Match
from monitor.rules import article_from_text, load_rules
from tests.rules.conftest import BUNDLED_RULES
from tests.support.seeds import SEEDS_DIR, load_seeds

MISSION = ("sanctions-new", "summit-status", "oil-export-figure")

EXPECTED = {
    "003": {"summit-status"},
    "002": {"summit-status"},
    "000": {"sanctions-new", "summit-status"},
    "001": {"sanctions-new", "summit-status", "oil-export-figure"},
    "004": {"sanctions-new", "summit-status"},
}

pytestmark = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(), reason="../shared/corpus/seeds is not beside the repo"
)


def seed_matches() -> dict[str, dict[str, Match]]:
    ruleset = load_rules([BUNDLED_RULES])
    found = {}
    for index, seed in enumerate(load_seeds()):
        article = article_from_text(seed.text, title=seed.title, article_id=index + 1)
        found[seed.number] = {m.rule_id: m for m in ruleset.evaluate(article) if m.rule_id in MISSION}
    return found


MATCHES = seed_matches() if SEEDS_DIR.is_dir() else {}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_each_seed_is_matched_by_the_rules_that_fit_it(number: str) -> None:
    assert set(MATCHES[number]) == EXPECTED[number]


def test_sanctions_name_the_oil_companies_when_the_article_does() -> None:
    assert MATCHES["001"]["sanctions-new"].key == "Rosneft and Lukoil"


def test_the_cancelled_summit_is_explained_by_its_cancellation_words() -> None:
    for number in ("000", "001", "004"):
        captures = MATCHES[number]["summit-status"].captures
        assert captures["cancelled"].lower().startswith("cancel"), number


def test_the_july_meeting_was_held_and_the_august_one_planned() -> None:
    assert "held" in MATCHES["003"]["summit-status"].captures
    assert "planned" in MATCHES["002"]["summit-status"].captures
    assert "cancelled" not in MATCHES["002"]["summit-status"].captures


def test_the_export_figure_is_captured() -> None:
    match = MATCHES["001"]["oil-export-figure"]
    assert match.captures["figure"] == "2.33 million barrels per day"
    assert match.key == "2.33 million barrels per day"
