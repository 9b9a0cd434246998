"""The three mission rules on the five seed articles, read from ../shared at test time.

In chronological order — 003 (July 2025), 002 (August 2025), then 000, 001, 004 (late October 2025) —
through the real enrichment stage and one memory, as the daemon sees them. Rubio and Lavrov meet in July;
a Trump–Putin meeting is planned in August and cancelled in October; new sanctions hit Rosneft and Lukoil;
001 gives Russia's oil exports as 2.33 million barrels per day. The October repeats must stay quiet
because of state and new-term memory, not because the rules miss them.

000's opening sentence reports the US decision to sanction Russia's biggest oil producers without naming
them: new sanctions on an unnamed group, which ``sanctions-new`` reports keyed by who imposes them (the US) —
its first report of those sanctions; 001 then names the companies.
"""

from __future__ import annotations

from typing import Any

import pytest

from monitor.domain import Match
from monitor.rules import Enricher, MemoryStore, article_from_text, load_rules
from tests.rules.conftest import BUNDLED_RULES
from tests.support.seeds import SEEDS_DIR, load_seeds

pytestmark = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(), reason="../shared/corpus/seeds is not beside the repo"
)

MISSION = ("sanctions-new", "summit-status", "oil-export-figure")

ALERTS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("003", "summit-status", "Marco Rubio, Sergei Lavrov", {"state": "held", "from": None, "to": "held"}),
    ("002", "summit-status", "Donald Trump, Vladimir Putin", {"state": "planned", "from": None}),
    ("000", "sanctions-new", "US", {"authority": "US"}),
    ("000", "summit-status", "Donald Trump, Vladimir Putin", {"from": "planned", "to": "cancelled"}),
    ("001", "oil-export-figure", "", {"value": 2330000.0, "unit": "barrels_per_day"}),
    ("001", "sanctions-new", "Lukoil, Rosneft", {"target": ["Lukoil", "Rosneft"]}),
]
HELD_BACK = [
    ("001", "summit-status", "state unchanged: still 'cancelled' (since 2025-10-23T08:00:00+00:00)"),
    ("004", "sanctions-new", "new_term: already seen: Lukoil (seen 2025-10-23), Rosneft (seen 2025-10-23)"),
    ("004", "summit-status", "state unchanged: still 'cancelled' (since 2025-10-23T08:00:00+00:00)"),
]
HOLDS_WITHOUT_MEMORY = {
    "003": {"summit-status"},
    "002": {"summit-status"},
    "000": {"summit-status", "sanctions-new"},
    "001": {"summit-status", "sanctions-new", "oil-export-figure"},
    "004": {"summit-status", "sanctions-new"},
}


@pytest.fixture(scope="module")
def replay(enrich: Enricher) -> dict[str, Any]:
    """Each seed's alerts and held-back matches (with memory), and what holds without memory."""
    ruleset = load_rules([BUNDLED_RULES])
    memory = MemoryStore()
    alerts: list[tuple[str, Match]] = []
    held: list[tuple[str, Match]] = []
    stateless: dict[str, set[str]] = {}
    for index, seed in enumerate(load_seeds()):
        article = article_from_text(
            seed.text, title=seed.title, article_id=index + 1, published_at=seed.published_at
        )
        enrichment = enrich(article)
        stateless[seed.number] = {
            m.rule_id for m in ruleset.evaluate(article, enrichment) if m.rule_id in MISSION
        }
        evaluation = ruleset.evaluate(article, enrichment, memory, seed.published_at)
        memory.apply(evaluation)
        alerts += [(seed.number, m) for m in evaluation.matches if m.rule_id in MISSION]
        held += [(seed.number, m) for m in evaluation.suppressed if m.rule_id in MISSION]
    return {"alerts": alerts, "held": held, "stateless": stateless}


def test_each_seed_is_matched_by_the_rules_that_fit_it_without_memory(replay: dict[str, Any]) -> None:
    assert replay["stateless"] == HOLDS_WITHOUT_MEMORY


def test_in_order_with_memory_each_story_alerts_once_per_change(replay: dict[str, Any]) -> None:
    got = [(number, m.rule_id, m.key) for number, m in replay["alerts"]]
    assert got == [(number, rule_id, key) for number, rule_id, key, _ in ALERTS]
    for (_, match), (_, _, _, captures) in zip(replay["alerts"], ALERTS, strict=True):
        assert {name: match.captures.get(name) for name in captures} == captures


def test_the_october_repeats_are_held_back_by_memory_and_say_why(replay: dict[str, Any]) -> None:
    assert [(number, m.rule_id, m.explanation[-1]) for number, m in replay["held"]] == HELD_BACK


def test_the_budapest_summit_reaches_cancelled_with_its_evidence(replay: dict[str, Any]) -> None:
    cancelled = next(m for n, m in replay["alerts"] if n == "000" and m.rule_id == "summit-status")
    assert cancelled.captures["state"] == "cancelled"
    assert cancelled.captures["state_text"] == "cancelling"
    assert "state changed: planned → cancelled" in cancelled.explanation


def test_the_export_figure_is_a_number_in_barrels_per_day(replay: dict[str, Any]) -> None:
    figure = next(m for number, m in replay["alerts"] if m.rule_id == "oil-export-figure")
    assert figure.captures["figure"] == "2.33 million barrels per day"
    assert figure.captures["value"] == 2_330_000
