"""One alert per story: what a matching article means for a subscriber, and the facts that make news."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.alerting import Decision, Prior, Reasons, decide, fact_of, is_new, what_happened

from .builders import match

CANCELLED = {"state": "cancelled"}
FIGURE = {"value": 2330000.0, "unit": "barrels_per_day"}

# (case, fact, prior, reasons, passed, expected outcome, note contains)
CASES: list[tuple[str, dict[str, Any], Prior | None, Reasons, bool, str | None, str]] = [
    ("first match of the story", CANCELLED, None, Reasons(), True, "alert", ""),
    (
        "a later source, same state",
        CANCELLED,
        Prior(True, CANCELLED),
        Reasons(),
        True,
        "recorded",
        "still 'cancelled'",
    ),
    (
        "a later source, new state",
        {"state": "postponed"},
        Prior(True, CANCELLED),
        Reasons(),
        True,
        "update",
        "cancelled → postponed",
    ),
    (
        "a later source, same figure",
        FIGURE,
        Prior(True, FIGURE),
        Reasons(),
        True,
        "recorded",
        "2.33 million barrels per day",
    ),
    (
        "a later source, new figure",
        {**FIGURE, "value": 2.4e6},
        Prior(True, FIGURE),
        Reasons(),
        True,
        "update",
        "2.33 million barrels per day → 2.4 million",
    ),
    ("a rule without state or figure", {}, Prior(True, {}), Reasons(), True, "recorded", "another source"),
    (
        "held back by the rule, alert exists",
        CANCELLED,
        Prior(True, CANCELLED),
        Reasons(),
        False,
        "recorded",
        "rule says",
    ),
    ("held back by the rule, no alert", CANCELLED, None, Reasons(), False, None, ""),
    ("silenced first", CANCELLED, None, Reasons(silenced="silence #1"), True, "silenced", "silence #1"),
    ("inhibited first", CANCELLED, None, Reasons(inhibited="by x"), True, "inhibited", "by x"),
    ("throttled first", CANCELLED, None, Reasons(throttled="realert"), True, "throttled", "realert"),
    (
        "silence wins over inhibition",
        CANCELLED,
        None,
        Reasons(silenced="s", inhibited="i"),
        True,
        "silenced",
        "s",
    ),
    (
        "an update is not throttled",
        {"state": "held"},
        Prior(True, CANCELLED),
        Reasons(throttled="realert"),
        True,
        "update",
        "",
    ),
    (
        "an update can be silenced",
        {"state": "held"},
        Prior(True, CANCELLED),
        Reasons(silenced="s"),
        True,
        "silenced",
        "s",
    ),
    (
        "nothing sent before: a new source alerts",
        CANCELLED,
        Prior(False, CANCELLED),
        Reasons(),
        True,
        "alert",
        "",
    ),
]


@pytest.mark.parametrize(
    ("fact", "prior", "reasons", "passed", "outcome", "note"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_what_a_matching_article_means(
    fact: dict[str, Any], prior: Prior | None, reasons: Reasons, passed: bool, outcome: str | None, note: str
) -> None:
    decision = decide(fact, prior, reasons, passed=passed, rule_note="rule says no")
    if outcome is None:
        assert decision is None
        return
    assert isinstance(decision, Decision)
    assert decision.outcome == outcome
    assert note in decision.note
    assert decision.notifies is (outcome in ("alert", "update"))


@pytest.mark.parametrize(
    ("captures", "fact", "said"),
    [
        ({"state": "cancelled", "from": "planned", "to": "cancelled"}, CANCELLED, "planned → cancelled"),
        ({"state": "held", "from": None, "to": "held"}, {"state": "held"}, "now held"),
        (
            {"figure": "2.33 million barrels per day", "value": 2330000, "unit": "barrels_per_day"},
            FIGURE,
            "2.33 million barrels per day",
        ),
        (
            {"value": 2.4e6, "unit": "barrels_per_day", "previous_value": 2.33e6, "change_percent": 3.0},
            {"value": 2.4e6, "unit": "barrels_per_day"},
            "2.4 million barrels per day (was 2.33 million barrels per day; +3%)",
        ),
        ({"target": ["Lukoil", "Rosneft"], "new_terms": ["Lukoil", "Rosneft"]}, {}, "new: Lukoil, Rosneft"),
        ({"port": "Valmere"}, {}, ""),
    ],
)
def test_the_fact_and_what_happened(captures: dict[str, Any], fact: dict[str, Any], said: str) -> None:
    found = match(captures=captures)
    assert fact_of(found) == fact
    assert what_happened(found.captures) == said


def test_a_fact_is_new_only_in_what_it_reports() -> None:
    assert is_new(CANCELLED, None)
    assert not is_new(CANCELLED, {"state": "cancelled", "value": 1.0})
    assert is_new({"value": 2.0, "unit": "t"}, {"value": 1.0, "unit": "t"})
    assert not is_new({}, {"state": "planned"})
