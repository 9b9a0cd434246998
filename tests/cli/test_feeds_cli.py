"""``newsmon feeds …``: remove keeps history, OPML round-trips, import reports every outline, and the
configuration's feeds are edited only in the configuration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli

FEED = """<rss version="2.0"><channel><title>Ports</title>
<item><title>Port strike spreads</title><link>https://ports.example/1</link><guid>p1</guid></item>
</channel></rss>"""


def newsmon(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "feed.xml").write_text(FEED)
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {enabled: false}\n"
        "feeds:\n"
        "  - {url: 'https://config.example/feed.xml', name: Configured, tags: [cfg]}\n"
    )
    assert newsmon(path, "db", "upgrade").exit_code == 0
    return path


def _articles(config: Path) -> int:
    with sqlite3.connect(config.parent / "db.sqlite") as conn:
        return int(conn.execute("select count(*) from articles").fetchone()[0])


def test_remove_keeps_the_articles_and_a_re_add_stores_nothing_twice(config: Path) -> None:
    url = f"file:{config.parent / 'feed.xml'}"
    assert newsmon(config, "feeds", "add", url, "--name", "Ports").exit_code == 0
    assert newsmon(config, "run", "--once").exit_code == 0
    assert _articles(config) == 1

    removed = newsmon(config, "feeds", "remove", url)

    assert removed.exit_code == 0, removed.output
    assert _articles(config) == 1
    assert f"disabled Ports  <{url}>" in newsmon(config, "feeds", "list").output
    assert newsmon(config, "feeds", "add", url, "--name", "Ports").exit_code == 0
    assert newsmon(config, "run", "--once").exit_code == 0
    assert _articles(config) == 1


def test_the_configurations_feeds_are_not_edited_from_the_cli(config: Path) -> None:
    url = "https://config.example/feed.xml"
    for args in (("feeds", "remove", url), ("feeds", "add", url, "--name", "Renamed")):
        result = newsmon(config, *args)
        assert result.exit_code == 2
        assert "in the configuration (" in result.stderr and "newsmon.yaml:5" in result.stderr


def test_opml_export_then_import_gives_back_every_feed_with_its_tags_and_interval(
    tmp_path: Path, config: Path
) -> None:
    feeds = [
        ("https://a.example/feed", "A", "600", ("world", "energy")),
        ("https://b.example/feed", "B", "120", ("world",)),
        ("https://c.example/feed", "C", "3600", ("markets", "world", "oil", "full-text")),
        ("https://d.example/feed", "D", "900", ()),
    ]
    for url, name, interval, tags in feeds:
        tag_args = [arg for tag in tags for arg in ("--tag", tag)]
        tag_args += ["--full-text"] if "full-text" in tags else []
        assert (
            newsmon(config, "feeds", "add", url, "--name", name, "--interval", interval, *tag_args).exit_code
            == 0
        )
    opml = tmp_path / "feeds.opml"
    assert newsmon(config, "feeds", "export-opml", str(opml)).exit_code == 0
    text = opml.read_text()
    assert text.count('<outline text="world"') == 1 and text.count('<outline text="markets"') == 1
    assert text.count("<outline") == 2 + len(feeds)  # two folders, no empty extra ones
    assert text.count('newsmon:fetch_full_text="true"') == 1

    other = tmp_path / "other.yaml"
    other.write_text(f"database: {{url: 'sqlite:///{tmp_path}/other.sqlite'}}\nrules: {{paths: [rules]}}\n")
    assert newsmon(other, "db", "upgrade").exit_code == 0
    imported = newsmon(other, "feeds", "import-opml", str(opml))

    assert imported.exit_code == 0, imported.output
    assert "4 feed outline(s): 4 added, 0 updated, 0 unchanged, 0 skipped" in imported.output
    listed = newsmon(other, "feeds", "list").output
    for url, name, interval, _tags in feeds:
        assert f"{name}  <{url}>  every {interval}s" in listed
    assert newsmon(other, "feeds", "export-opml").output == newsmon(
        config, "feeds", "export-opml"
    ).output.replace(str(config), str(other))


def test_import_reports_every_outline_and_goes_on_after_a_bad_one(tmp_path: Path, config: Path) -> None:
    assert newsmon(config, "feeds", "add", "https://known.example/feed", "--name", "Known").exit_code == 0
    opml = tmp_path / "in.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline text="News">
          <outline text="Known, renamed" xmlUrl="https://known.example/feed"/>
          <outline text="No URL here"/>
          <outline text="Bad scheme" xmlUrl="ftp://x.example/feed"/>
          <outline text="Configured" xmlUrl="https://config.example/feed.xml"/>
          <outline text="Fresh" xmlUrl="https://fresh.example/feed"/>
        </outline></body></opml>"""
    )

    result = CliRunner().invoke(cli, ["--config", str(config), "feeds", "import-opml", str(opml)])

    assert result.exit_code == 1
    assert "outline 1: updated   Known, renamed <https://known.example/feed>" in result.output
    assert "outline 2: skipped   No URL here: no xmlUrl: not a feed" in result.stderr
    assert (
        "outline 3: skipped   Bad scheme <ftp://x.example/feed>: a feed url must start with" in result.stderr
    )
    assert (
        "outline 4: skipped   Configured <https://config.example/feed.xml>: this feed is in the configuration"
        in (result.stderr)
    )
    assert "outline 5: added     Fresh <https://fresh.example/feed>" in result.output
    assert "5 feed outline(s): 1 added, 1 updated, 0 unchanged, 3 skipped" in result.output
    listed = newsmon(config, "feeds", "list").output
    assert "Fresh  <https://fresh.example/feed>" in listed and "Configured  <https://config" not in listed
