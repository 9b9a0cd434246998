"""An article whose rules go over the evaluation time budget is quarantined: recorded, logged, never retried."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import pipeline, rules
from monitor.cli import cli
from monitor.settings import Settings
from tests.pipeline.harness import NOW, rows, running, scalar, write_settings
from tests.support.feed_server import FeedServer

RULE = """\
id: strike-watch
title: Port strikes
match:
  action: {phrases: [strike]}
  place: {regex: 'port of (?P<port>(?-i:[A-Z]\\w+))'}
condition: action and place
key: "{port}"
examples: {match: ["A strike at the port of Valmere."]}
"""

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Strike at the port of Valmere</title><guid>s1</guid>"
    b"<pubDate>Sun, 01 Mar 2026 10:00:00 +0000</pubDate></item>"
    b"<item><title>Strike at the port of Ostra</title><guid>s2</guid>"
    b"<pubDate>Sun, 01 Mar 2026 10:05:00 +0000</pubDate></item>"
    b"</channel></rss>"
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def with_budget(settings: Settings, budget_s: float) -> Settings:
    return settings.model_copy(
        update={"rules": settings.rules.model_copy(update={"evaluation_budget_s": budget_s})}
    )


async def test_an_article_over_the_budget_is_quarantined_once_and_shown_by_status(
    tmp_path: Path, server: FeedServer, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/f.xml", body=FEED)
    settings = write_settings(tmp_path, database_url, feeds=[url], rules=RULE)
    # one nanosecond: every evaluation goes over it, with no clock to fake and no timing to race
    settings = with_budget(settings, 1e-9)
    caplog.set_level(logging.ERROR, logger="monitor.pipeline.processing")
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        first = pipeline.process_pending_articles(context, NOW)
        later = pipeline.process_pending_articles(context, NOW + timedelta(hours=1))
        stats = pipeline.storage_stats(context.db, NOW)
        kept = rows(
            context,
            "select a.title, q.rule_id, q.reason from quarantined_articles q "
            "join articles a on a.id = q.article_id order by a.title",
        )
        matches = scalar(context, "select count(*) from matches")
        unprocessed = scalar(context, "select count(*) from articles where processed_at is null")
        listed = pipeline.list_quarantined(context.db)

    assert (first.articles, first.matches, later.articles) == (2, 0, 0)
    assert (matches, unprocessed, stats.articles_quarantined) == (0, 0, 2)
    assert [(title, rule) for title, rule, _ in kept] == [
        ("Strike at the port of Ostra", "strike-watch"),
        ("Strike at the port of Valmere", "strike-watch"),
    ]
    assert all("over the 1e-09 s budget (crossed in rule 'strike-watch')" in reason for *_, reason in kept)
    assert [q.rule_id for q in listed] == ["strike-watch", "strike-watch"]
    logged = [r for r in caplog.records if getattr(r, "action", None) == "article.quarantined"]
    assert sorted(getattr(r, "rule", None) for r in logged) == ["strike-watch", "strike-watch"]

    result = CliRunner().invoke(cli, ["--config", str(settings.source), "status"])
    assert result.exit_code == 0, result.output
    assert "2 quarantined" in result.output
    assert "quarantined article" in result.output and "crossed in rule 'strike-watch'" in result.output


async def test_within_the_budget_the_same_articles_match(
    tmp_path: Path, server: FeedServer, database_url: str
) -> None:
    url = server.route("/f.xml", body=FEED)
    settings = write_settings(tmp_path, database_url, feeds=[url], rules=RULE)
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        report = pipeline.process_pending_articles(context, NOW)
        quarantined = scalar(context, "select count(*) from quarantined_articles")
    assert (report.articles, report.matches, quarantined) == (2, 2, 0)


def test_the_budget_names_the_rule_that_crossed_it() -> None:
    ticks = iter([0.0, 0.5, 3.0])
    budget = rules.Budget(2.0, clock=lambda: next(ticks))
    budget.check("fast")
    with pytest.raises(rules.EvaluationOverBudget) as caught:
        budget.check("slow")
    assert (caught.value.rule_id, caught.value.elapsed_s) == ("slow", 3.0)
    assert str(caught.value) == "evaluating the rules took 3 s, over the 2 s budget (crossed in rule 'slow')"


async def test_a_rule_that_raises_sets_its_article_aside_and_the_batch_goes_on(
    tmp_path: Path,
    server: FeedServer,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A defect in a predicate (fault injected: the rule raises on one article) must not fail the whole
    batch on every tick: that article is quarantined with the error, the other one matches."""
    from monitor.rules import evaluate

    real = evaluate.evaluate_rule

    def crashes_on_valmere(rule: rules.Rule, view: evaluate.ArticleView) -> object:
        if "Valmere" in view.article.title:
            raise IndexError("list index out of range")
        return real(rule, view)

    monkeypatch.setattr(evaluate, "evaluate_rule", crashes_on_valmere)
    url = server.route("/f.xml", body=FEED)
    settings = write_settings(tmp_path, database_url, feeds=[url], rules=RULE)
    caplog.set_level(logging.ERROR, logger="monitor.pipeline.processing")
    async with running(settings) as context:
        await pipeline.poll_due_feeds(context, NOW)
        report = pipeline.process_pending_articles(context, NOW)
        again = pipeline.process_pending_articles(context, NOW + timedelta(hours=1))
        kept = rows(
            context,
            "select a.title, q.rule_id, q.reason from quarantined_articles q join articles a on a.id = q.article_id",
        )
        matched = rows(context, "select a.title from matches m join articles a on a.id = m.article_id")

    assert (report.articles, report.matches, again.articles) == (2, 1, 0)
    assert kept == [
        (
            "Strike at the port of Valmere",
            "strike-watch",
            "rule 'strike-watch' failed on this article: IndexError: list index out of range",
        )
    ]
    assert matched == [("Strike at the port of Ostra",)]
    [logged] = [r for r in caplog.records if getattr(r, "action", None) == "article.quarantined"]
    assert logged.exc_info is not None  # the traceback, for the bug report
