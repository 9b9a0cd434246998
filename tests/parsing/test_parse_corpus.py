"""Every file of the real-world corpus: the expected entries, or a clear ParseError; and an exact pre-scan.

Expected counts are written out in ``tests/support/corpus.py`` (from feedparser's baseline and SOURCES.md),
so this test does not trust our own parser for them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from functools import cache

import pytest

from monitor.domain import ParseResult
from monitor.errors import ParseError
from monitor.parsing import parse_feed, parse_feed_with_stats
from tests.parsing.test_parse_prescan import decoys
from tests.support.corpus import EXPECTED_ENTRIES, NOT_FEEDS, PHANTOMS, corpus_files, corpus_path

pytestmark = pytest.mark.slow

FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def url_of(name: str) -> str:
    return f"https://feeds.example/corpus/{name}"


@cache
def parsed(name: str) -> ParseResult:
    return parse_feed(corpus_path(name).read_bytes(), url=url_of(name), fetched_at=FETCHED)


def test_every_corpus_file_has_an_expectation() -> None:
    names = {path.name for path in corpus_files()}
    assert len(names) == 96
    assert names == set(EXPECTED_ENTRIES) | set(NOT_FEEDS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ENTRIES))
def test_corpus_file_yields_the_expected_entries(name: str) -> None:
    result = parsed(name)
    assert len(result.entries) == EXPECTED_ENTRIES[name]
    assert result.skipped_empty == PHANTOMS.get(name, 0)
    identities = [entry.identity for entry in result.entries]
    assert len(set(identities)) == len(identities), "identities must be unique within a document"
    for entry in result.entries:
        assert entry.published_at is not None and entry.published_at.tzinfo is UTC
        assert entry.updated_at is None or entry.updated_at.tzinfo is UTC
        assert entry.link is None or entry.link.startswith(("http://", "https://"))
        assert entry.link is None or "#" not in entry.link
        for text in (entry.title, entry.summary, entry.content):
            assert "</p>" not in text and "<br" not in text and "</div>" not in text


@pytest.mark.parametrize("name", sorted(NOT_FEEDS))
def test_corpus_file_that_is_not_a_feed_says_why(name: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_feed(corpus_path(name).read_bytes(), url=url_of(name), fetched_at=FETCHED)
    assert NOT_FEEDS[name] in error.value.reason
    assert error.value.url == url_of(name)


def test_corpus_news_details() -> None:
    """Spot checks of what the baseline calls out: relative links, dates feedparser cannot read, encodings."""
    tpm = parsed("node-feedparser__tpm.atom").entries[0]
    assert (
        tpm.link
        == "https://feeds.example/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist"
    )
    uol = parsed("rss-parser__uolNoticias.rss").entries
    assert not any(entry.date_is_fallback for entry in uol)  # Portuguese pubDates, read by our fallback
    assert all(entry.guid is None for entry in uol)
    iconv = parsed("node-feedparser__iconv.xml").entries[0]
    assert any("\u0400" <= ch <= "\u04ff" for ch in iconv.title)  # windows-1251 decoded to Cyrillic
    assert parsed("node-feedparser__compressed.xml").format == "rss20"  # gzip inside, found by content


# Files for the pre-scan equivalence check, and whether the pre-scan can run on them (False: nested items,
# XML that only feedparser's loose parser reads, ...: the full parse runs and must still be right).
PRESCAN_FILES = {
    "rss-parser__guardian.rss": True,  # news, 55 items with GUIDs
    "RSParser__DaringFireball.atom": True,  # xml:base on the feed and on entries
    "RSParser__OneFootTsunami.atom": True,  # per-entry xml:base
    "rss-parser__reddit-home.rss": True,  # relative xml:base, xhtml content
    "RSParser__bio.rdf": True,  # RSS 1.0, rdf:about
    "RSParser__aktuality.rss": True,  # no GUIDs, an <image> with a <link> in every item
    "RSParser__scriptingNews.rss": True,  # duplicate GUIDs
    "node-feedparser__iconv.xml": True,  # windows-1251, no GUIDs
    "rss-parser__uolNoticias.rss": True,  # undeclared cp1252
    "node-feedparser__compressed.xml": True,  # gzip body
    "node-feedparser__tpm-with-fragment-base.atom": True,  # xml:base="#fragment"
    "rss-parser__itunes-missing-image.rss": False,  # whitespace before <?xml: loose parser; shared links
    "node-feedparser__illegally-nested.xml": False,  # nested <item/>
    "node-feedparser__saxerror.xml": False,  # not well-formed
}


@pytest.mark.parametrize("name", sorted(PRESCAN_FILES))
def test_prescan_on_corpus_equals_full_parse_filtered(name: str) -> None:
    body = corpus_path(name).read_bytes()
    full = parsed(name)
    identities = [entry.identity for entry in full.entries]
    patterns = {
        "news poll: all but the first five known": identities[5:],
        "every other known": identities[::2],
        "all known, plus stale decoys": [*identities, *decoys(body)],
    }
    for pattern, known_list in patterns.items():
        known = frozenset(known_list)
        result, stats = parse_feed_with_stats(
            body, url=url_of(name), fetched_at=FETCHED, known_identities=known
        )
        expected = dataclasses.replace(
            full, entries=tuple(e for e in full.entries if e.identity not in known)
        )
        assert result == expected, pattern
        assert stats.entries_seen == len(full.entries) + full.skipped_empty
        assert (stats.skipped_before_parse > 0) is PRESCAN_FILES[name], pattern
