"""``newsmon backtest``: stored articles replayed in time order through rules with memory, and the diff an
edit makes — on SQLite and PostgreSQL, through the storage functions the command uses."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import storage
from monitor.cli import backtest_cmd, cli
from monitor.domain import Article, Enrichment, EntitySpan
from monitor.pipeline import backtest as replay
from monitor.rules import load_rules
from tests.storage.helpers import NOW, entry, polled, stored_feed

assert backtest_cmd  # importing the module registers the command

DAY = timedelta(days=1)
STORY = [
    "The Lisbon summit is planned for May.",
    "The Lisbon summit is still planned, officials repeat.",
    "New sanctions on Acme Corp were announced.",
    "The Lisbon summit was called off.",
    "Sanctions on Acme Corp begin to bite.",
]
NEW_RULES = """\
- id: summit
  type: state
  title: Summit status
  key: "{place}"
  match:
    event: {phrases: [summit]}
    place: {phrases: [Lisbon]}
  states: {planned: [planned], cancelled: [called off]}
- id: sanctions
  title: Sanctions
  key: "{target}"
  new_term: {field: target}
  match:
    action: {phrases: [sanctions]}
    target: {entity: ORG, same_sentence_as: action}
  condition: target
"""
OLD_RULES = """\
- id: summit
  title: Summit news
  key: "{place}"
  match:
    event: {phrases: [summit]}
    place: {phrases: [Lisbon]}
"""


def store_story(db: storage.Database) -> list[int]:
    """The story as stored articles, a day apart, the sanctions ones with their entities."""
    feed_id = stored_feed(db)
    start = NOW - 10 * DAY
    entries = [
        entry(n, title="", summary="", content=text, published_at=start + n * DAY)
        for n, text in enumerate(STORY)
    ]
    ids = storage.save_poll(db, polled(feed_id), entries, NOW)
    processed = []
    for article_id, text in zip(ids, STORY, strict=True):
        at = text.find("Acme Corp")
        entities = (EntitySpan("Acme Corp", "ORG", at, at + 9, 0),) if at >= 0 else ()
        processed.append(
            storage.ProcessedArticle(article_id, Enrichment(article_id, entities) if entities else None)
        )
    storage.save_processed(db, NOW, processed)
    return ids


def rules_at(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_history_comes_back_in_time_order_with_its_enrichment(db: storage.Database) -> None:
    ids = store_story(db)
    history = list(storage.iter_articles(db, page_size=2))
    assert [article.id for article, _ in history] == ids
    assert [bool(enrichment) for _, enrichment in history] == [False, False, True, False, True]
    article, enrichment = history[2]
    assert isinstance(article, Article) and enrichment is not None
    at = STORY[2].index("Acme Corp")
    assert enrichment.entities == (EntitySpan("Acme Corp", "ORG", at, at + 9, 0),)
    assert [a.id for a, _ in storage.iter_articles(db, since=NOW - 8 * DAY, until=NOW - 6 * DAY)] == ids[2:4]


def test_a_replay_alerts_as_memory_allows_and_counts_what_it_held_back(
    db: storage.Database, tmp_path: Path
) -> None:
    ids = store_story(db)
    result = replay.backtest(db, load_rules([rules_at(tmp_path, "new", NEW_RULES)]), None, NOW)
    assert [(a.rule_id, a.article_id, a.key) for a in result.alerts] == [
        ("summit", ids[0], "Lisbon"),
        ("sanctions", ids[2], "Acme Corp"),
        ("summit", ids[3], "Lisbon"),
    ]
    assert (result.alerts[2].captures["from"], result.alerts[2].captures["to"]) == ("planned", "cancelled")
    assert (result.articles, result.unenriched, result.held_back) == (5, 3, 2)


def test_since_replays_only_recent_articles_from_an_empty_memory(
    db: storage.Database, tmp_path: Path
) -> None:
    ids = store_story(db)
    result = replay.backtest(db, load_rules([rules_at(tmp_path, "new", NEW_RULES)]), NOW - 8 * DAY, NOW)
    assert [(a.rule_id, a.article_id, a.captures.get("from")) for a in result.alerts] == [
        ("sanctions", ids[2], None),
        ("summit", ids[3], None),
    ]


def test_the_diff_shows_what_an_edit_adds_and_removes(db: storage.Database, tmp_path: Path) -> None:
    ids = store_story(db)
    new = replay.backtest(db, load_rules([rules_at(tmp_path, "new", NEW_RULES)]), None, NOW)
    old = replay.backtest(db, load_rules([rules_at(tmp_path, "old", OLD_RULES)]), None, NOW)
    diff = replay.compare(new, old)
    assert [(a.rule_id, a.article_id) for a in diff.added] == [("sanctions", ids[2])]
    assert [(a.rule_id, a.article_id) for a in diff.removed] == [("summit", ids[1])]
    assert diff.unchanged == 2
    lines = replay.diff_text(diff, new).splitlines()
    assert lines[0].startswith("- ") and "summit  [Lisbon]" in lines[0]
    assert lines[1].startswith("+ ") and "sanctions  [Acme Corp]" in lines[1]
    assert (
        lines[-1] == "1 added, 1 removed, 2 unchanged; 3 alert(s) from 5 article(s), 2 held back by memory; "
        "3 article(s) without stored enrichment"
    )


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str) -> Path:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "newsmon.yaml"
    path.write_text(f"database: {{url: '{sqlite_url}'}}\nrules: {{paths: [rules]}}\n")
    return path


def test_the_command_prints_alerts_and_the_diff(config: Path, sqlite_url: str, tmp_path: Path) -> None:
    db = storage.Database.open(sqlite_url)
    store_story(db)
    db.close()
    new, old = rules_at(tmp_path, "new", NEW_RULES), rules_at(tmp_path, "old", OLD_RULES)

    def newsmon(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["--config", str(config), "backtest", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    plain = newsmon("--rules", str(new))
    assert len(plain) == 4 and plain[-1].startswith("3 alert(s) from 5 article(s)")
    assert [json.loads(line)["rule"] for line in newsmon("--rules", str(new), "--json")] == [
        "summit",
        "sanctions",
        "summit",
    ]
    diff = [json.loads(line) for line in newsmon("--rules", str(new), "--against", str(old), "--json")]
    assert [(item["change"], item["rule"]) for item in diff] == [
        ("added", "sanctions"),
        ("removed", "summit"),
    ]
    since = (NOW - 8 * DAY).date().isoformat()
    assert newsmon("--rules", str(new), "--since", since)[-1].startswith("2 alert(s) from 3 article(s)")
