"""``type: state``: a status per key, negation-aware, remembered, alerting on change with from → to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.errors import RuleError
from monitor.rules import MemoryStore, RuleSet, article_from_text, load_rules
from monitor.rules.examples import EXAMPLE_TIME
from tests.rules.conftest import RuleFiles

SUMMIT = """\
id: summit
type: state
title: Summit status
key: "{place}"
match:
  event: {phrases: [summit]}
  place: {phrases: [Lisbon, Oslo]}
condition: event and place
states_near: event
lemma: true
states:
  planned: [plan, schedule]
  postponed: [postpone, delay]
  cancelled: [cancel, call off]
  held: [took place]
alert_on: {alert_on}
examples:
  match:
    - content: The Lisbon summit was called off.
      expect: {state: cancelled, place: Lisbon}
  no_match:
    - The Lisbon summit was not called off.
"""
T0 = datetime(2025, 10, 1, tzinfo=UTC)


def summit(rule_files: RuleFiles, alert_on: str = "change") -> RuleSet:
    rule_files.write("summit.yaml", SUMMIT.replace("{alert_on}", alert_on))
    return load_rules([rule_files.root])


STATES = [
    ("The Lisbon summit is planned for May.", "planned"),
    ("The Lisbon summit was delayed by a week.", "postponed"),
    ("The Lisbon summit was called off.", "cancelled"),
    ("The Lisbon summit took place on Friday.", "held"),
    # when an article reports several states, the one listed last wins
    ("The planned Lisbon summit has been cancelled.", "cancelled"),
    ("The Lisbon summit, delayed twice, took place at last.", "held"),
    # negation: a state word after not / never / no / without / n't, within three words, does not count
    ("The Lisbon summit was not called off.", None),
    ("The Lisbon summit wasn't postponed.", None),
    ("There are no plans to cancel the Lisbon summit.", None),
    ("The Lisbon summit was not called off but postponed.", "postponed"),
    ("The Lisbon summit has never been delayed, and is scheduled for May.", "planned"),
    # state words count only in a sentence with the event (states_near: event)
    ("The Lisbon summit is on. The concert was cancelled.", None),
    # a state word glued by a hyphen to the word before it describes something else
    ("The Lisbon summit on a long-delayed pipeline took place on Friday.", "held"),
    ("The Lisbon summit on a much-delayed treaty opens today.", None),
    # no state word at all: the rule does not hold
    ("The Lisbon summit opens with a speech.", None),
]


@pytest.mark.parametrize(("text", "state"), STATES)
def test_the_state_an_article_reports(rule_files: RuleFiles, text: str, state: str | None) -> None:
    matches = summit(rule_files).evaluate(article_from_text(text)).matches
    assert [m.captures["state"] for m in matches] == ([state] if state else [])


def test_negated_state_words_are_explained(rule_files: RuleFiles) -> None:
    (match,) = summit(rule_files).evaluate(
        article_from_text("The Lisbon summit was not called off but delayed.")
    )
    assert match.explanation[-2:] == (
        "state 'postponed': phrase 'delay' matched 'delayed' in text at 41–48",
        "ignored: 'called off' at 26 (negated)",
    )


STORY = [
    # text, the alert's (from, to) or None when memory holds it back / the rule does not hold
    ("The Lisbon summit is planned for May.", ("Lisbon", None, "planned")),
    ("The Lisbon summit is still planned.", None),
    ("The Oslo summit was delayed.", ("Oslo", None, "postponed")),
    ("The Lisbon summit was not called off.", None),
    ("The planned Lisbon summit has been cancelled.", ("Lisbon", "planned", "cancelled")),
    ("Again: the Lisbon summit was cancelled.", None),
    ("The Lisbon summit took place after all.", ("Lisbon", "cancelled", "held")),
    ("The Oslo summit was delayed again.", None),
]


def replay(ruleset: RuleSet, texts: list[str]) -> list[tuple[str, str | None, str] | None]:
    memory = MemoryStore()
    alerts: list[tuple[str, str | None, str] | None] = []
    for hour, text in enumerate(texts):
        evaluation = ruleset.evaluate(
            article_from_text(text, article_id=hour + 1), memory=memory, now=T0 + timedelta(hours=hour)
        )
        memory.apply(evaluation)
        alerts.append(next(((m.key, m.captures["from"], m.captures["to"]) for m in evaluation.matches), None))
    return alerts


def test_a_story_alerts_on_each_change_of_state_per_key(rule_files: RuleFiles) -> None:
    assert replay(summit(rule_files), [text for text, _ in STORY]) == [alert for _, alert in STORY]


def test_what_a_state_rule_remembers_and_says(rule_files: RuleFiles) -> None:
    ruleset = summit(rule_files)
    memory = MemoryStore()
    first = ruleset.evaluate(
        article_from_text("The Lisbon summit is planned.", article_id=7), memory=memory, now=T0
    )
    memory.apply(first)
    published = EXAMPLE_TIME.isoformat()  # the article's publication: older news cannot undo this state
    remembered = {"state": "planned", "since": T0.isoformat(), "article": 7, "published": published}
    assert memory.states() == {("summit", "state:Lisbon"): remembered}
    again = ruleset.evaluate(article_from_text("The Lisbon summit is planned."), memory=memory, now=T0)
    (held,) = again.suppressed
    assert held.explanation[-1] == f"state unchanged: still 'planned' (since {T0.isoformat()})"
    assert again.state_writes == ()


def test_alert_on_transition_remembers_the_first_state_without_alerting(rule_files: RuleFiles) -> None:
    texts = ["The Lisbon summit is planned.", "The Lisbon summit was cancelled."]
    assert replay(summit(rule_files, "transition"), texts) == [None, ("Lisbon", "planned", "cancelled")]


def test_alert_on_a_list_alerts_only_when_entering_those_states(rule_files: RuleFiles) -> None:
    texts = [
        "The Lisbon summit is planned.",
        "The Lisbon summit was delayed.",
        "The Lisbon summit was cancelled.",
    ]
    ruleset = summit(rule_files, "[cancelled]")
    assert replay(ruleset, texts) == [None, None, ("Lisbon", "postponed", "cancelled")]


def test_without_memory_a_state_rule_reports_the_state_every_time(rule_files: RuleFiles) -> None:
    ruleset = summit(rule_files)
    for _ in range(2):
        (match,) = ruleset.evaluate(article_from_text("The Lisbon summit is planned."))
        assert (match.captures["state"], match.captures["state_text"], "from" in match.captures) == (
            "planned",
            "planned",
            False,
        )


def test_older_news_processed_late_does_not_undo_a_newer_state(rule_files: RuleFiles) -> None:
    ruleset = summit(rule_files)
    memory = MemoryStore()
    october = article_from_text("The Lisbon summit was cancelled.", published_at=T0)
    august = article_from_text("The Lisbon summit is planned.", published_at=T0 - timedelta(days=60))
    first = ruleset.evaluate(october, memory=memory, now=T0)
    memory.apply(first)
    late = ruleset.evaluate(august, memory=memory, now=T0 + timedelta(hours=1))
    assert [m.captures["to"] for m in first.matches] == ["cancelled"]
    assert (late.matches, late.state_writes) == ((), ())
    assert late.suppressed[0].explanation[-1] == (
        f"'planned' is older news than 'cancelled' (reported {T0.isoformat()}): state kept"
    )


def test_a_sentence_set_in_the_past_by_its_opening_words_is_background(rule_files: RuleFiles) -> None:
    rule_files.write(
        "summit.yaml",
        SUMMIT.replace("{alert_on}", "change").replace(
            "states_near: event\n", "states_near: event\nstance: {background: [previously, earlier]}\n"
        ),
    )
    ruleset = load_rules([rule_files.root])

    def state(text: str) -> list[str]:
        return [m.captures["state"] for m in ruleset.evaluate(article_from_text(text)).matches]

    assert state("Previously, the Lisbon summit was called off.") == []
    assert state("Earlier this year, the Lisbon summit was called off.") == []
    assert state("The Lisbon summit, previously planned, was called off.") == ["cancelled"]
    assert state("The Lisbon summit was called off.") == ["cancelled"]


def test_a_denied_state_can_report_another_one(rule_files: RuleFiles) -> None:
    """``denied_means``: denying that a meeting is off says it is still planned; denying plans says nothing."""
    stance = "stance: {denial: [denied reports], denied_means: {cancelled: planned, postponed: planned}}\n"
    rule_files.write(
        "summit.yaml",
        SUMMIT.replace("{alert_on}", "change").replace(
            "states_near: event\n", "states_near: event\n" + stance
        ),
    )
    ruleset = load_rules([rule_files.root])

    def state(text: str) -> list[str]:
        return [m.captures["state"] for m in ruleset.evaluate(article_from_text(text)).matches]

    assert state("The ministry denied reports that the Lisbon summit was called off.") == ["planned"]
    assert state("The ministry denied reports that the Lisbon summit was planned.") == []
    assert state("The Lisbon summit was called off.") == ["cancelled"]
    # the denial answers the report it denies wherever the article repeats it
    denied_twice = (
        "The ministry denied reports that the Lisbon summit was called off. A newspaper had said the Lisbon "
        "summit was cancelled over a trade row."
    )
    assert state(denied_twice) == ["planned"]


def test_a_state_word_glued_to_another_word_describes_a_thing(rule_files: RuleFiles) -> None:
    rule_files.write("summit.yaml", SUMMIT.replace("{alert_on}", "change"))
    ruleset = load_rules([rule_files.root])
    found = ruleset.evaluate(
        article_from_text("The Lisbon summit plan covers a postpone-proof agenda.")
    ).matches
    assert [m.captures["state"] for m in found] == ["planned"]


def test_denied_means_names_known_states(rule_files: RuleFiles) -> None:
    rule_files.write(
        "summit.yaml",
        SUMMIT.replace("{alert_on}", "change").replace(
            "states_near: event\n", "states_near: event\nstance: {denied_means: {cancelled: resumed}}\n"
        ),
    )
    with pytest.raises(RuleError, match=r"summit\.yaml:10:.*denied_means: unknown state 'resumed'"):
        load_rules([rule_files.root])


def test_soft_words_of_a_state_give_way_to_another_state(rule_files: RuleFiles) -> None:
    """``yields``: "will no longer meet this week" is cancelled, unless the article says it was pushed back."""
    soft = "yields: {cancelled: {to: postponed, words: [no longer meet]}}\n"
    body = SUMMIT.replace("{alert_on}", "change").replace(
        "[cancel, call off]", "[cancel, call off, no longer meet]"
    )
    rule_files.write("summit.yaml", body.replace("states_near: event\n", "states_near: event\n" + soft))
    ruleset = load_rules([rule_files.root])

    def state(text: str) -> list[str]:
        return [m.captures["state"] for m in ruleset.evaluate(article_from_text(text)).matches]

    assert state(
        "The leaders will no longer meet at the Lisbon summit this week; it was delayed to May."
    ) == ["postponed"]
    assert state("The leaders will no longer meet at the Lisbon summit.") == ["cancelled"]
    assert state("The Lisbon summit was delayed to May, then called off.") == ["cancelled"]  # a firm word


@pytest.mark.parametrize(
    ("soft", "error"),
    [
        ("{resumed: {to: postponed, words: [cancel]}}", "yields: unknown state 'resumed'"),
        ("{cancelled: {to: resumed, words: [cancel]}}", "yields: unknown state 'resumed'"),
        (
            "{cancelled: {to: postponed, words: [is off]}}",
            "yields: 'is off' is not one of the words of state",
        ),
    ],
)
def test_yields_names_known_states_and_their_own_words(rule_files: RuleFiles, soft: str, error: str) -> None:
    body = SUMMIT.replace("{alert_on}", "change")
    rule_files.write(
        "summit.yaml", body.replace("states_near: event\n", f"states_near: event\nyields: {soft}\n")
    )
    with pytest.raises(RuleError, match=rf"summit\.yaml:10:.*{error}"):
        load_rules([rule_files.root])
