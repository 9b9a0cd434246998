"""Article files for ``newsmon match`` dry runs: .txt (title line + body) and .json (one object)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import ParseError
from monitor.parsing import parse_article_file, parse_feed
from monitor.parsing.identity import link_identity

FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_text_file_first_line_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("\n\n  Treasury sanctions  Acme Oil \nThe US Treasury designated\nfour subsidiaries.\n\n")
    entry = parse_article_file(path, FETCHED)
    assert entry.title == "Treasury sanctions Acme Oil"
    assert entry.content == "The US Treasury designated\nfour subsidiaries."
    assert (entry.link, entry.guid, entry.summary) == (None, None, "")
    assert entry.published_at == FETCHED and entry.date_is_fallback


def test_markdown_and_text_files_read_like_txt(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Headline\nBody")
    (tmp_path / "a.text").write_text("Headline\nBody")
    entries = [parse_article_file(tmp_path / name, FETCHED) for name in ("a.md", "a.text")]
    assert [(e.title, e.content) for e in entries] == [("Headline", "Body")] * 2


def test_text_identity_follows_the_content(tmp_path: Path) -> None:
    one, same, other = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    one.write_text("Title\nBody")
    same.write_text("Title\nBody\n")
    other.write_text("Title\nAnother body")
    identities = [parse_article_file(p, FETCHED).identity for p in (one, same, other)]
    assert identities[0] == identities[1] != identities[2]


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    article = {
        "title": "OPEC+ agrees cut",
        "link": "https://news.example/opec?utm_source=mail",
        "summary": "Ministers agree.",
        "content": "<p>Ministers agreed a cut of <b>1.2 million barrels per day</b>.</p>",
        "published": "2025-10-23T08:00:00+02:00",
        "tags": ["energy"],
    }
    path.write_text(json.dumps(article))
    entry = parse_article_file(path, FETCHED)
    assert (entry.title, entry.link) == ("OPEC+ agrees cut", "https://news.example/opec")
    assert entry.content == "Ministers agreed a cut of 1.2 million barrels per day."
    assert entry.published_at == datetime(2025, 10, 23, 6, 0, tzinfo=UTC) and not entry.date_is_fallback
    assert entry.tags == ("energy",)
    assert entry.identity == link_identity("https://news.example/opec")


def test_json_file_with_a_link_has_the_identity_a_feed_item_would_have(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"title": "T", "link": "https://news.example/x", "content": "c"}))
    feed = b"<rss version='2.0'><channel><title>f</title><item><title>T</title><link>https://news.example/x</link></item></channel></rss>"
    (item,) = parse_feed(feed, url="https://news.example/rss", fetched_at=FETCHED).entries
    assert parse_article_file(path, FETCHED).identity == item.identity


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.pdf", "%PDF-1.4", "unsupported article file type '.pdf'"),
        ("empty.txt", "  \n\n", "article file is empty"),
        ("bad.json", '{"title": ', "invalid JSON at line 1"),
        ("list.json", "[1, 2]", "must hold one object"),
        ("blank.json", "{}", "no title, link or text"),
    ],
)
def test_unusable_article_files(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ParseError) as error:
        parse_article_file(path, FETCHED)
    assert reason in error.value.reason
    assert error.value.url == str(path)


def test_missing_article_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read article file"):
        parse_article_file(tmp_path / "gone.txt", FETCHED)
