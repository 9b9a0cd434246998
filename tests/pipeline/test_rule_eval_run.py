"""``rules eval`` end to end below the CLI: labeled articles through the real enricher and the rules.

The rules (tests/pipeline/eval_rules) and labels (tests/pipeline/labels) are this test's own, so the
figures are known by reading them: the bowling "strike" near a harbour is a false positive, the harbour
stoppage without a strike word a false negative, the European Commission a wrong capture next to the
target, and the third Northwind Trading article alerts on its own memory but not in a stream (new_term).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pytest

from monitor import enrichment, rules
from monitor.domain import Enrichment
from monitor.errors import LabelError, MonitorError
from monitor.pipeline.rule_eval import Judgement, load_labels, run_eval
from monitor.pipeline.rule_eval.run import as_published, evaluate_labels, to_article
from monitor.pipeline.rule_eval.stories import replay_stories
from monitor.settings.models import EnrichmentSettings

HERE = Path(__file__).parent
RULES = HERE / "eval_rules"
LABELS = HERE / "labels"
SETTINGS = EnrichmentSettings()


@pytest.fixture(scope="module")
def enrich() -> enrichment.Enricher:
    return enrichment.Enricher.from_settings(SETTINGS, [RULES])


def kinds(judgements: Sequence[Judgement], rule_id: str) -> dict[str, str]:
    return {j.article.id: j.kind for j in judgements if j.rule_id == rule_id}


def test_each_article_on_its_own_memory(enrich: enrichment.Enricher) -> None:
    report = run_eval([LABELS], rules.load_rules([RULES]), enrich.enrich, SETTINGS, model=enrich.model_name)
    judgements = report.evaluated.judgements
    assert kinds(judgements, "port-strike") == {"t-port-001": "tp", "t-port-002": "fn", "t-port-004": "fp"}
    assert kinds(judgements, "export-ban") == {"t-ban-001": "tp", "t-ban-002": "tp", "t-ban-003": "tp"}
    scores = {s.rule_id: s for s in report.evaluated.scores}
    assert (scores["port-strike"].tp, scores["port-strike"].fp, scores["port-strike"].fn) == (1, 1, 1)
    assert (scores["export-ban"].labeled, scores["export-ban"].captures_right) == (3, 2)
    [wrong] = [j for j in judgements if j.wrong_captures]
    assert wrong.article.id == "t-ban-002"
    assert wrong.wrong_captures == (
        "target: expected [Northwind Trading], got [Northwind Trading, The European Commission]",
    )
    [missed] = [j for j in judgements if j.kind == "fn"]
    assert missed.reason == "it would hold if 'action' held"
    assert "selection 'action' did not hold: any of 'strike', 'walkout' not found" in missed.explanation
    [false] = [j for j in judgements if j.kind == "fp"]
    assert (
        false.captures["action"] == "strike"
        and "condition: action and place and not drill" in false.explanation
    )
    assert report.below(0.95) == [scores["port-strike"]]
    assert report.below(0.4) == [] and report.below(None, 0.9) == [scores["export-ban"]]
    assert report.stories is not None and (report.stories.articles, report.stories.stories) == (7, 4)


def test_a_stream_shares_one_memory_in_publication_order(enrich: enrichment.Enricher) -> None:
    evaluated = evaluate_labels(load_labels([LABELS]), rules.load_rules([RULES]), enrich.enrich, stream=True)
    assert kinds(evaluated.judgements, "export-ban")["t-ban-003"] == "fn"
    [repeat] = [j for j in evaluated.judgements if j.article.id == "t-ban-003"]
    assert repeat.reason == "new_term: already seen: Northwind Trading (seen 2026-03-04)"


def test_only_scores_the_rules_asked_for(enrich: enrichment.Enricher) -> None:
    ruleset = rules.load_rules([RULES])
    report = run_eval([LABELS], ruleset, enrich.enrich, SETTINGS, only=["port-strike"])
    assert [s.rule_id for s in report.evaluated.scores] == ["port-strike"]
    assert {j.rule_id for j in report.evaluated.judgements} == {"port-strike"}
    with pytest.raises(MonitorError, match="no such rule: nosuch"):
        run_eval([LABELS], ruleset, enrich.enrich, SETTINGS, only=["nosuch"])


def test_without_enrichment_entity_rules_miss_and_say_why() -> None:
    report = run_eval([LABELS], rules.load_rules([RULES]), None, SETTINGS)
    misses = [j for j in report.evaluated.judgements if j.rule_id == "export-ban"]
    assert {j.kind for j in misses} == {"fn"}
    assert "the rule reads entities or quantities, and this article was not enriched" in misses[0].explanation
    assert report.stories is None


def test_a_label_naming_an_unknown_rule_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(
        "- id: a\n  published: 2026-01-01T00:00:00Z\n  text: t\n  expect:\n    port-strik: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(LabelError) as caught:
        run_eval([path], rules.load_rules([RULES]), None, SETTINGS)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:5: unknown rule 'port-strik' (did you mean 'port-strike'?)"
    ]


def test_the_replay_files_a_reprint_from_another_source_into_the_first_story(
    enrich: enrichment.Enricher,
) -> None:
    labels = load_labels([LABELS])
    text = labels[0].text
    copies = [
        to_article(labels[0], 1, feed_id=1),
        dataclasses.replace(to_article(labels[0], 2, feed_id=2), content=text + "\nReporting by staff."),
        to_article(labels[4], 3, feed_id=3),
    ]
    found: list[Enrichment | None] = list(enrich.enrich(copies))
    assert replay_stories(copies, found, SETTINGS) == {1: 1, 2: 1, 3: 3}
    assert replay_stories(copies, [None, None, None], SETTINGS) == {1: 1, 2: 2, 3: 3}


def test_a_label_is_read_as_a_feed_would_give_it_one_line_per_paragraph() -> None:
    """Labels are typed with wrapped lines and blank lines between paragraphs; the daemon reads a feed's
    `<p>` blocks as one line each, so the rules' paragraphs are the label's paragraphs, not its lines."""
    typed = (
        "The EU on Monday sanctioned two shipping firms\n"
        "and their owner.\n"
        "\n"
        "Those listed are:\n"
        "- Alpha Shipping\n"
        "- Beta Marine\n"
        "Both deny wrongdoing.\n"
        "\n"
        "Name | entity\n"
        "Gamma Trading | company\n"
    )
    assert as_published(typed) == (
        "The EU on Monday sanctioned two shipping firms and their owner.\n"
        "Those listed are:\n- Alpha Shipping\n- Beta Marine\nBoth deny wrongdoing.\n"
        "Name | entity\nGamma Trading | company"
    )
