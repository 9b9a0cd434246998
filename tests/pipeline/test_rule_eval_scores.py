"""The arithmetic of ``rules eval``: capture comparison, per-rule ratios, B-cubed — pure, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from monitor.domain import EntitySpan
from monitor.errors import SourceLocation
from monitor.pipeline.rule_eval import LabeledArticle, RuleScore
from monitor.pipeline.rule_eval.captures import capture_differences, same, watch_list_aliases
from monitor.pipeline.rule_eval.stories import score_stories


@pytest.mark.parametrize(
    ("wanted", "got", "equal"),
    [
        (["Acme Oil", "Ivan Petrov"], ["ivan  petrov", "ACME OIL"], True),  # a set; case and spaces ignored
        (["Acme Oil", "Ivan Petrov"], ["Acme Oil"], False),
        (["Acme Oil"], ["Acme Oil", "Dubai"], False),  # an extra name is wrong too
        (["Acme Oil", "acme oil"], ["Acme Oil"], True),  # duplicates collapse
        ("European Union", ["European Union"], True),  # one value = a one-element set
        ("European Union", "the European Union", False),
        (["Sonbong Trading Co."], ["Sonbong Trading Co"], True),  # a final full stop is ignored
        (["Dunav Trade d.o.o"], ["Dunav Trade d.o.o."], True),
        (["Sonbong Trading Co."], ["Sonbong Trading"], False),
        (["Recep Tayyip Erdoğan"], ["Recep Tayyip Erdogan"], True),  # accents are not compared
        (["Erdoğan"], ["Erdogdu"], False),
        (2330000, 2330000.0, True),
        (2330000, 2320000, True),  # within 0.5 %
        (2330000, 2300000, False),
        (2330000, "2.33e6", True),  # a number written as text
        ({"people": 14, "companies": 6}, {"people": 14, "companies": 6, "vessels": 2}, True),
        ({"people": 14, "companies": 6}, {"people": 14}, False),
        ({"people": 14}, "14 people", False),
        ("planned", None, False),
        (True, True, True),
        (True, "true", False),
        ([], None, True),  # an empty list and no capture are both the empty set
    ],
)
def test_captures_compare_as_the_label_format_promises(wanted: Any, got: Any, equal: bool) -> None:
    assert same(wanted, got) is equal


def test_only_the_labeled_captures_are_checked_and_each_difference_is_said() -> None:
    captures = {"target": ["Acme Oil"], "state": "planned", "matched": ["x"]}
    assert capture_differences({"target": ["Acme Oil"]}, captures) == []
    assert capture_differences(
        {"target": ["Acme Oil", "Dubai"], "state": "cancelled", "leaders": ["A"]}, captures
    ) == [
        "target: expected [Acme Oil, Dubai], got [Acme Oil]",
        "state: expected 'cancelled', got 'planned'",
        "leaders: expected [A], got nothing",
    ]


@pytest.mark.parametrize(
    ("score", "precision", "recall", "f1", "captures"),
    [
        (RuleScore("r", labeled=10, tp=8, fp=2, fn=2, captures_right=6), 0.8, 0.8, 0.8, 0.75),
        (RuleScore("r", labeled=4, tp=0, fp=0, fn=4, captures_right=0), None, 0.0, 0.0, None),
        (RuleScore("r", labeled=0, tp=0, fp=3, fn=0, captures_right=0), 0.0, None, 0.0, None),
        (RuleScore("r", labeled=0, tp=0, fp=0, fn=0, captures_right=0), None, None, None, None),
    ],
)
def test_rule_ratios_are_none_where_undefined(
    score: RuleScore, precision: float | None, recall: float | None, f1: float | None, captures: float | None
) -> None:
    assert (score.precision, score.recall, score.f1, score.capture_accuracy) == (
        precision,
        recall,
        f1,
        captures,
    )


def label(number: int, story: str | None) -> LabeledArticle:
    return LabeledArticle(
        f"a{number}", datetime(2026, 1, 1, tzinfo=UTC), "t", SourceLocation("x"), story=story
    )


def test_b_cubed_against_a_hand_computed_clustering() -> None:
    # Labels: A = {1, 2, 3}, B = {4, 5}. Assigned: {1, 2}, {3, 4, 5}; 6 has no label and is not scored.
    labels = {
        1: label(1, "A"),
        2: label(2, "A"),
        3: label(3, "A"),
        4: label(4, "B"),
        5: label(5, "B"),
        6: label(6, None),
    }
    assigned = {1: 1, 2: 1, 3: 3, 4: 3, 5: 3, 6: 3}
    score = score_stories(labels, assigned)
    assert score is not None
    # precision per article: 1, 1, 1/3, 2/3, 2/3; recall: 2/3, 2/3, 1/3, 1, 1
    assert score.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert (score.articles, score.stories, score.assigned) == (5, 2, 2)
    assert score.merged == (("A", "B"),)
    assert score.split == (("A", 2),)


def test_a_perfect_clustering_scores_one_and_no_labels_score_nothing() -> None:
    labels = {1: label(1, "A"), 2: label(2, "A"), 3: label(3, "B")}
    score = score_stories(labels, {1: 7, 2: 7, 3: 9})
    assert score is not None and (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score_stories({1: label(1, None)}, {1: 1}) is None


def test_a_difference_is_said_on_one_line_even_when_a_capture_holds_a_line_break() -> None:
    assert capture_differences({"leaders": ["Cyril Ramaphosa"]}, {"leaders": ["Ramaphosa\n"]}) == [
        "leaders: expected [Cyril Ramaphosa], got [Ramaphosa]"
    ]
    assert same(["Cyril Ramaphosa"], ["Cyril\nRamaphosa "])


def test_a_labeled_spelling_equals_the_canonical_name_the_watch_list_gives_it_in_that_article() -> None:
    written = [
        EntitySpan("Aleksandr Lukashenko", "PERSON", 0, 20, 0, "Alexander Lukashenko", "people"),
        EntitySpan("Kenyatta", "PERSON", 30, 38, 1, "Uhuru Kenyatta", "people"),
        EntitySpan("Ruto", "PERSON", 40, 44, 1),  # no watch list: no alias
    ]
    aliases = watch_list_aliases(written)
    captured = {"leaders": ["Alexander Lukashenko", "Uhuru Kenyatta"]}
    assert capture_differences({"leaders": ["Aleksandr Lukashenko", "Kenyatta"]}, captured, aliases) == []
    assert capture_differences({"leaders": ["Aleksandr Lukashenko", "Kenyatta"]}, captured) != []
    # an alias names only its own person: another watch-listed name is still a wrong capture
    wrong = capture_differences({"leaders": ["Aleksandr Lukashenko", "Ruto"]}, captured, aliases)
    assert wrong == [
        "leaders: expected [Aleksandr Lukashenko, Ruto], got [Alexander Lukashenko, Uhuru Kenyatta]"
    ]
