"""Memory: new terms, changed figures, windows and throttling — over sequences of articles, with a fixed clock.

Evaluation only reads memory; each step applies the ``Evaluation``'s writes to a ``MemoryStore``, as the
pipeline does in the transaction that stores the matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from monitor.domain import Article, Enrichment
from monitor.rules import Evaluation, MemoryStore, RuleSet, article_from_text, load_rules
from tests.rules.builders import Ent, Fig, enriched_article
from tests.rules.conftest import RuleFiles

T0 = datetime(2025, 10, 1, tzinfo=UTC)
Step = tuple[timedelta, Article, Enrichment | None]


def rule(rule_files: RuleFiles, text: str) -> RuleSet:
    rule_files.write("r.yaml", "id: r\ntitle: R\nexamples: {match: [x]}\n" + text)
    return load_rules([rule_files.root])


def replay(ruleset: RuleSet, steps: Sequence[Step], memory: MemoryStore | None = None) -> list[Evaluation]:
    memory = memory if memory is not None else MemoryStore()
    evaluations = []
    for offset, article, enrichment in steps:
        evaluation = ruleset.evaluate(article, enrichment, memory, T0 + offset)
        memory.apply(evaluation)
        evaluations.append(evaluation)
    return evaluations


def sanctioned(names: Sequence[str], article_id: int = 1) -> tuple[Article, Enrichment]:
    text = "New sanctions on " + " and ".join(names) + "."
    return enriched_article(text, *(Ent(name) for name in names), article_id=article_id)


NEW_TERM = """\
key: "{target}"
new_term: {field: target, within: 30d}
match:
  action: {phrases: [sanctions]}
  target: {entity: ORG, same_sentence_as: action}
condition: target
"""


def test_new_term_alerts_for_names_not_seen_within_the_window(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, NEW_TERM)
    days = [0, 10, 20, 45, 80]
    batches = [["Acme"], ["Acme"], ["Acme", "Beta"], ["Acme"], ["Acme"]]
    steps = [(timedelta(days=d), *sanctioned(names)) for d, names in zip(days, batches, strict=True)]
    outcome = [[m.captures["new_terms"] for m in e.matches] for e in replay(ruleset, steps)]
    # day 45 is held back (Acme was seen on day 20) but still counts as seen: day 80 is 35 days later
    assert outcome == [[["Acme"]], [], [["Beta"]], [], [["Acme"]]]


def test_new_term_says_what_was_seen_and_keeps_first_and_last_sightings(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, NEW_TERM)
    memory = MemoryStore()
    first, second = replay(
        ruleset, [(timedelta(0), *sanctioned(["Acme"])), (timedelta(days=2), *sanctioned(["Acme"]))], memory
    )
    assert first.matches[0].explanation[-1] == "new_term: new Acme"
    assert second.suppressed[0].explanation[-1] == "new_term: already seen: Acme (seen 2025-10-01)"
    assert memory.get_state("r", "term:acme") == {
        "term": "Acme",
        "seen": (T0 + timedelta(days=2)).isoformat(),
        "first": T0.isoformat(),
    }


def test_without_a_window_a_term_is_new_only_once(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, NEW_TERM.replace(", within: 30d", ""))
    steps = [(timedelta(days=d), *sanctioned(["Acme"])) for d in (0, 400, 4000)]
    assert [len(e.matches) for e in replay(ruleset, steps)] == [1, 0, 0]


def test_without_memory_no_gate_runs(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, NEW_TERM)
    article, enrichment = sanctioned(["Acme"])
    assert [len(ruleset.evaluate(article, enrichment)) for _ in range(3)] == [1, 1, 1]


CHANGE = """\
match:
  figure: {quantity: {unit: barrels_per_day, changed_by: "CHANGE"}}
"""


def figure(value: float) -> tuple[Article, Enrichment]:
    return enriched_article("Exports were 1 bpd.", Fig("1 bpd", value))


@pytest.mark.parametrize(
    ("change", "values", "alerts"),
    [
        (">=5%", [100, 103, 110, 104.5, 99], [True, False, True, True, True]),
        (">5%", [100, 105], [True, False]),
        (">= 50000", [2_000_000, 2_040_000, 2_100_000], [True, False, True]),
    ],
)
def test_changed_by_compares_with_the_last_figure_for_the_key(
    rule_files: RuleFiles, change: str, values: list[float], alerts: list[bool]
) -> None:
    ruleset = rule(rule_files, CHANGE.replace("CHANGE", change))
    steps = [(timedelta(hours=i), *figure(v)) for i, v in enumerate(values)]
    assert [bool(e.matches) for e in replay(ruleset, steps)] == alerts


def test_changed_by_captures_the_previous_figure_and_the_change(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, CHANGE.replace("CHANGE", ">=5%"))
    first, second = replay(ruleset, [(timedelta(0), *figure(2e6)), (timedelta(days=1), *figure(2.2e6))])
    assert first.matches[0].captures["previous_value"] is None
    captures = second.matches[0].captures
    assert (captures["previous_value"], captures["change_percent"]) == (2e6, 10.0)
    assert second.matches[0].explanation[-1] == "changed_by: 2e+06 → 2.2e+06 (>=5%)"


FREQUENCY = """\
key: "{port}"
frequency: {count: 3, within: 1h DISTINCT}
match:
  port: {regex: 'strike at (?P<port>\\w+)'}
"""


def strike(minutes: int, port: str = "Valmere", feed: str = "wire") -> Step:
    return timedelta(minutes=minutes), article_from_text(f"A strike at {port}.", feed_name=feed), None


def test_frequency_alerts_when_enough_articles_match_within_the_window(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, FREQUENCY.replace(" DISTINCT", ""))
    steps = [strike(0), strike(10), strike(20), strike(30), strike(100), strike(110), strike(200)]
    evaluations = replay(ruleset, steps)
    assert [bool(e.matches) for e in evaluations] == [False, False, True, False, False, False, False]
    assert evaluations[2].matches[0].captures["window_count"] == 3
    assert evaluations[1].suppressed[0].explanation[-1] == "frequency: 2 of 3 articles within 1h"


def test_frequency_counts_per_key(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, FREQUENCY.replace(" DISTINCT", ""))
    steps = [strike(0, "Valmere"), strike(1, "Ostrava"), strike(2, "Valmere"), strike(3, "Valmere")]
    assert [[m.key for m in e.matches] for e in replay(ruleset, steps)] == [[], [], [], ["Valmere"]]


def test_frequency_can_count_distinct_sources(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, FREQUENCY.replace(" DISTINCT", ", distinct_sources: true"))
    steps = [
        strike(0, feed="a"),
        strike(1, feed="a"),
        strike(2, feed="b"),
        strike(3, feed="a"),
        strike(4, feed="c"),
    ]
    assert [bool(e.matches) for e in replay(ruleset, steps)] == [False, False, False, False, True]


FLATLINE = """\
key: "{port}"
flatline: {within: 1d}
match:
  port: {regex: 'strike at (?P<port>\\w+)'}
"""


def test_flatline_alerts_once_per_silence_from_the_clock(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, FLATLINE)
    memory = MemoryStore()
    seen = replay(
        ruleset, [(timedelta(0), article_from_text("A strike at Valmere.", article_id=41), None)], memory
    )
    assert (
        seen[0].matches == ()
        and seen[0].suppressed[0].explanation[-1] == "flatline: seen; alerts only on silence"
    )

    def tick(hours: int) -> list[tuple[str, int]]:
        evaluation = ruleset.check_flatlines(memory, T0 + timedelta(hours=hours))
        memory.apply(evaluation)
        return [(m.key, m.article_id) for m in evaluation.matches]

    assert tick(23) == []
    assert tick(25) == [("Valmere", 41)]
    assert tick(26) == []  # once per silence
    replay(
        ruleset,
        [(timedelta(hours=30), article_from_text("A strike at Valmere.", article_id=42), None)],
        memory,
    )
    assert tick(50) == []
    assert tick(55) == [("Valmere", 42)]


THROTTLE = """\
key: "{port}"
THROTTLE
match:
  port: {regex: 'strike at (?P<port>\\w+)'}
"""


@pytest.mark.parametrize(
    ("throttle", "minutes", "alerts"),
    [
        ("realert: 1h", [0, 30, 59, 61, 90, 122], [True, False, False, True, False, True]),
        (
            "throttle: {alerts: 2, per: 1h}",
            [0, 10, 20, 30, 61, 65, 71],
            [True, True, False, False, True, False, True],
        ),
    ],
)
def test_realert_and_throttle_limit_alerts_per_key(
    rule_files: RuleFiles, throttle: str, minutes: list[int], alerts: list[bool]
) -> None:
    ruleset = rule(rule_files, THROTTLE.replace("THROTTLE", throttle))
    assert [bool(e.matches) for e in replay(ruleset, [strike(m) for m in minutes])] == alerts


def test_a_throttle_counts_only_alerts_that_were_sent(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, NEW_TERM + "realert: 1d\n")
    steps = [
        (timedelta(hours=h), *sanctioned(names))
        for h, names in [(0, ["Acme"]), (1, ["Acme"]), (30, ["Beta"])]
    ]
    evaluations = replay(ruleset, steps)
    assert [bool(e.matches) for e in evaluations] == [True, False, True]


def test_an_evaluation_is_the_sequence_of_its_matches(rule_files: RuleFiles) -> None:
    ruleset = rule(rule_files, "match: {a: {phrases: [oil]}}\n")
    evaluation = ruleset.evaluate(article_from_text("oil"))
    assert (len(evaluation), [m.rule_id for m in evaluation], evaluation[0].rule_id) == (1, ["r"], "r")
    assert not ruleset.evaluate(article_from_text("gas"))


def test_memory_store_keeps_json_only() -> None:
    memory = MemoryStore({("r", "k"): {"a": [1, 2]}})
    assert memory.get_state("r", "k") == {"a": [1, 2]}
    assert memory.get_state("r", "other") is None
    with pytest.raises(TypeError):
        memory.put_state("r", "k", {"at": T0})
    with pytest.raises(ValueError, match="cannot be None"):
        memory.put_state("r", "k", None)
