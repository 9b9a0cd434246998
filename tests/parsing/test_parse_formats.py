"""parse_feed on small inline documents: every format, and the normalisation every entry gets."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest

from monitor.domain import Entry, ParseResult
from monitor.errors import ParseError
from monitor.parsing import parse_feed

URL = "https://news.example/feeds/world.xml"
FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def parse(doc: str | bytes, url: str = URL) -> ParseResult:
    return parse_feed(doc.encode() if isinstance(doc, str) else doc, url=url, fetched_at=FETCHED)


def only(result: ParseResult) -> Entry:
    (entry,) = result.entries
    return entry


RSS20 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>World &amp; Markets</title><link>https://news.example/</link><language>en-GB</language>
<item>
  <title>Oil &amp;amp; gas: OPEC+ meets</title>
  <link>https://news.example/2026/01/opec.html?utm_source=rss&amp;id=9#top</link>
  <guid isPermaLink="false">opec-2026-01</guid>
  <pubDate>Mon, 05 Jan 2026 09:30:00 +0100</pubDate>
  <dc:creator>Jane Roe</dc:creator>
  <category>Energy</category><category>OPEC</category><category>Energy</category>
  <description>&lt;p&gt;Ministers &lt;b&gt;meet&lt;/b&gt; in Vienna.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>Ministers meet.</p><script>track('opec')</script><p>Output may rise.</p>]]>
  </content:encoded>
</item>
</channel></rss>"""


def test_rss20_entry_is_normalised() -> None:
    result = parse(RSS20)
    entry = only(result)
    assert (result.format, result.feed_title, result.language) == ("rss20", "World & Markets", "en-gb")
    assert entry.title == "Oil & gas: OPEC+ meets"  # double-escaped entity in a plain-text title
    assert entry.link == "https://news.example/2026/01/opec.html?id=9"
    assert entry.guid == "opec-2026-01"
    assert entry.summary == "Ministers meet in Vienna."
    assert entry.content == "Ministers meet.\nOutput may rise."
    assert entry.author == "Jane Roe"
    assert entry.published_at == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert not entry.date_is_fallback
    assert entry.language == "en-gb"
    assert entry.tags == ("Energy", "OPEC")


RSS091 = """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>http://old.example/</link>
<description>d</description><language>en-us</language>
<item><title>Ceasefire holds</title><link>http://old.example/ceasefire</link>
<description>Quiet night.</description></item>
</channel></rss>"""


def test_rss091_without_guid_or_date() -> None:
    result = parse(RSS091)
    entry = only(result)
    assert result.format.startswith("rss091")
    assert (entry.title, entry.link, entry.guid) == ("Ceasefire holds", "http://old.example/ceasefire", None)
    assert entry.published_at == FETCHED and entry.date_is_fallback


RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://lab.example/rss"><title>Lab</title><link>https://lab.example/</link>
<description>d</description></channel>
<item rdf:about="https://lab.example/papers/42">
  <title>Paper 42</title><link>https://lab.example/papers/42</link>
  <dc:date>2025-11-03T10:00:00-05:00</dc:date><dc:subject>Chemistry</dc:subject>
</item>
</rdf:RDF>"""


def test_rss10_rdf_about_is_the_guid() -> None:
    result = parse(RDF)
    entry = only(result)
    assert result.format == "rss10"
    assert entry.guid == "https://lab.example/papers/42"
    assert entry.published_at == datetime(2025, 11, 3, 15, 0, tzinfo=UTC)
    assert entry.tags == ("Chemistry",)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-DE" xml:base="https://blog.example/">
  <title type="html">Dev &lt;em&gt;Blog&lt;/em&gt;</title><id>urn:feed</id>
  <entry>
    <id>tag:blog.example,2025:1</id>
    <title>Release</title>
    <link rel="replies" href="posts/1#comments"/>
    <link rel="alternate" type="application/pdf" href="posts/1.pdf"/>
    <link rel="alternate" type="text/html" href="posts/1"/>
    <author><name>Max Muster</name><email>max@blog.example</email></author>
    <updated>2025-03-01T12:00:00+01:00</updated>
    <category term="release" label="Releases"/>
    <summary>Short.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Long <b>text</b>.</p></div></content>
  </entry>
</feed>"""


def test_atom_entry_prefers_the_html_alternate_and_uses_updated() -> None:
    result = parse(ATOM)
    entry = only(result)
    assert (result.format, result.feed_title, result.language) == ("atom10", "Dev Blog", "de-de")
    assert entry.link == "https://blog.example/posts/1"  # resolved against xml:base
    assert entry.guid == "tag:blog.example,2025:1"
    assert (entry.summary, entry.content) == ("Short.", "Long text.")
    assert entry.author == "Max Muster"
    assert entry.published_at == entry.updated_at == datetime(2025, 3, 1, 11, 0, tzinfo=UTC)
    assert entry.tags == ("Releases",)
    assert entry.language == "de-de"


def json_feed(version: str, **item: object) -> bytes:
    return json.dumps(
        {
            "version": version,
            "title": "Notes",
            "language": "en",
            "feed_url": "https://notes.example/feed.json",
            "author": {"name": "Feed Author"},
            "items": [item],
        }
    ).encode()


def test_json_feed_10() -> None:
    body = json_feed(
        "https://jsonfeed.org/version/1",
        id=2,  # a number: JSON Feed says string, the wild says otherwise
        url="/2026/note.html",
        title="A note",
        content_html="<p>Hello <script>x()</script>world</p>",
        summary="Hello",
        date_published="2026-01-02T03:04:05-08:00",
        tags=["a", "b"],
    )
    result = parse(body)
    entry = only(result)
    assert (result.format, result.feed_title, result.language) == ("json10", "Notes", "en")
    assert (entry.guid, entry.link) == ("2", "https://notes.example/2026/note.html")
    assert (entry.title, entry.summary, entry.content) == ("A note", "Hello", "Hello world")
    assert entry.author == "Feed Author"
    assert entry.published_at == datetime(2026, 1, 2, 11, 4, 5, tzinfo=UTC)
    assert entry.tags == ("a", "b")


def test_json_feed_11_authors_win_over_author() -> None:
    body = json_feed(
        "https://jsonfeed.org/version/1.1",
        id="n1",
        content_text="Plain  text\n\nbody",
        authors=[{"name": "Ann"}, {"name": "Bo"}],
        author={"name": "Legacy"},
        language="fr-CA",
    )
    result = parse(body)
    entry = only(result)
    assert result.format == "json11"
    assert (entry.author, entry.content, entry.language) == ("Ann, Bo", "Plain text\nbody", "fr-ca")
    assert entry.date_is_fallback and entry.published_at == FETCHED


def test_rss_in_json() -> None:
    body = json.dumps(
        {
            "rss": {
                "version": "2.0",
                "channel": {
                    "title": "Scripting",
                    "link": "http://scripting.example/",
                    "item": [
                        {
                            "description": "Good <b>morning</b>",
                            "link": "http://scripting.example/2017/06/26.html#a1",
                            "guid": "http://scripting.example/2017/06/26.html#a1",
                            "pubDate": "Mon, 26 Jun 2017 12:20:05 GMT",
                        }
                    ],
                },
            }
        }
    ).encode()
    result = parse(body)
    entry = only(result)
    assert result.format == "rss-in-json"
    assert (entry.summary, entry.guid) == ("Good morning", "http://scripting.example/2017/06/26.html#a1")
    assert entry.published_at == datetime(2017, 6, 26, 12, 20, 5, tzinfo=UTC)


def test_gzip_body_without_content_encoding() -> None:
    assert parse(gzip.compress(RSS20.encode())) == parse(RSS20)


RELATIVE = """<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>/story/1</link></item>
<item><title>b</title><guid>12345</guid></item>
<item><title>c</title><guid>https://news.example/permalink/3</guid></item>
<item xml:base="https://cdn.example/base/"><title>d</title><link>story/4</link></item>
</channel></rss>"""


def test_links_resolve_against_xml_base_then_the_response_url() -> None:
    entries = parse(RELATIVE, url="https://moved.example/rss/feed").entries
    assert [e.link for e in entries] == [
        "https://moved.example/story/1",  # against the URL the body came from
        None,  # a permalink GUID that is not a URL is no link ...
        "https://news.example/permalink/3",  # ... an absolute one is
        "https://cdn.example/base/story/4",  # against the item's xml:base
    ]
    assert entries[1].guid == "12345"  # and is never resolved against the fetch URL


def test_guid_identities_do_not_depend_on_the_fetch_url() -> None:
    before = parse(RELATIVE, url="https://old.example/feed").entries
    after = parse(RELATIVE, url="https://new.example/elsewhere/feed").entries
    assert [e.identity for e in before[1:3]] == [e.identity for e in after[1:3]]


ZONES = """<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><title>a</title><pubDate>Tue, 31 Dec 2024 23:30:00 -0330</pubDate></item>
<item><guid>2</guid><title>b</title><pubDate>Wed, 01 Jan 2025 05:00:00 +0545</pubDate></item>
<item><guid>3</guid><title>c</title><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item>
<item><guid>4</guid><title>d</title><pubDate>not a date</pubDate></item>
<item><guid>5</guid><title>e</title></item>
</channel></rss>"""


def test_dates_in_odd_zones_become_utc_and_missing_ones_are_flagged() -> None:
    entries = parse(ZONES).entries
    assert [e.published_at for e in entries] == [
        datetime(2025, 1, 1, 3, 0, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 15, tzinfo=UTC),
        datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC),  # localised names feedparser cannot read
        FETCHED,
        FETCHED,
    ]
    assert [e.date_is_fallback for e in entries] == [False, False, False, True, True]


DUPLICATES = """<rss version="2.0"><channel><title>t</title>
<item><guid>same</guid><title>first</title><link>https://a.example/1</link></item>
<item><guid>same</guid><title>second</title><link>https://a.example/2</link></item>
<item><title>no guid 1</title><link>https://a.example/shared</link></item>
<item><title>no guid 2</title><link>https://a.example/shared</link></item>
<item><title>nothing but a title</title></item>
<item/>
<item><guid>   </guid><description>   </description></item>
</channel></rss>"""


def test_duplicates_get_distinct_identities_and_phantoms_are_skipped() -> None:
    result = parse(DUPLICATES)
    assert [e.title for e in result.entries] == [
        "first",
        "second",
        "no guid 1",
        "no guid 2",
        "nothing but a title",
    ]
    assert len({e.identity for e in result.entries}) == 5
    assert [e.guid for e in result.entries] == ["same", "same", None, None, None]
    assert result.skipped_empty == 2


def test_known_identities_are_left_out() -> None:
    everything = parse(DUPLICATES).entries
    known = frozenset(e.identity for e in everything[::2])
    result = parse_feed(DUPLICATES.encode(), url=URL, fetched_at=FETCHED, known_identities=known)
    assert result.entries == everything[1::2]


NOT_FEEDS = [
    ("empty body", b"", "empty body"),
    ("whitespace only", b"  \n ", "empty body"),
    (
        "HTML page",
        b"<!DOCTYPE html><html><head><title>Moved</title></head></html>",
        "HTML page, not a feed (title: 'Moved')",
    ),
    (
        "truncated JSON",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "tit',
        "invalid JSON",
    ),
    ("other JSON", b'{"error": "rate limited"}', "neither a JSON Feed"),
    ("JSON nested too deeply", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("JSON Feed without items", b'{"version": "https://jsonfeed.org/version/1"}', "without an 'items' list"),
    ("XML that is no feed", b"<?xml version='1.0'?><config><a/></config>", "not an RSS, Atom or RDF feed"),
    ("plain text", b"503 Service Unavailable", "unknown format"),
    ("gzip of HTML", gzip.compress(b"<html><title>x</title></html>"), "HTML page"),
    # feedparser's own exceptions are translated: an undecodable encoding name, a crash in its loose parser
    ("garbled encoding name", b'<?xml version="1.0" encoding="u\x87f-8"?><rss/>', "cannot decode"),
    (
        "stray end tag in broken XML",
        b'<rss version="2.0"><channel><title>a & b</title></width></channel></rss>',
        "feedparser failed on this document (TypeError",
    ),
]


@pytest.mark.parametrize(("body", "reason"), [c[1:] for c in NOT_FEEDS], ids=[c[0] for c in NOT_FEEDS])
def test_what_is_not_a_feed_raises_parse_error(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        parse(body)
    assert reason in error.value.reason
    assert error.value.url == URL
    assert str(error.value).startswith(f"{URL}: ")


def test_an_empty_channel_is_a_feed_with_no_entries() -> None:
    result = parse("<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    assert (result.entries, result.feed_title, result.format) == ((), "Quiet", "rss20")


def test_malformed_xml_is_recovered_with_a_warning() -> None:
    result = parse(
        "<rss version='2.0'><channel><title>t</title><item><title>A & B</title></item></channel></rss>"
    )
    assert only(result).title == "A & B"
    assert any("malformed XML" in warning for warning in result.warnings)


DECLARED_UTF8 = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    "<item><guid>1</guid><title>Grüße – €</title></item></channel></rss>"
).encode()
UNDECLARED_1251 = (
    '<rss version="2.0"><channel><title>t</title>'
    "<item><guid>1</guid><title>Привет</title></item></channel></rss>"
).encode("windows-1251")


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        (DECLARED_UTF8, "application/rss+xml; charset=ISO-8859-1", "Grüße – €"),  # the declaration wins
        (DECLARED_UTF8, "text/xml", "Grüße – €"),  # no "text/xml means US-ASCII" either
        (DECLARED_UTF8, "text/html; charset=utf-8", "Grüße – €"),  # a wrong media type is no reason to fail
        (UNDECLARED_1251, "text/xml; charset=windows-1251", "Привет"),  # the header fills in
    ],
)
def test_the_http_charset_only_fills_in_for_an_undeclared_encoding(
    body: bytes, content_type: str, title: str
) -> None:
    result = parse_feed(body, url=URL, fetched_at=FETCHED, content_type=content_type)
    assert only(result).title == title
    assert result.warnings == ()
