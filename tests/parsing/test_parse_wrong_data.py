"""Wrong data from real feeds (issue 8, item 13 and 9): nested titles, XHTML DOCTYPEs, UTF-32, gzip caps."""

from __future__ import annotations

import gzip
import html
import re
from datetime import UTC, datetime

import pytest

from monitor.domain import ParseResult
from monitor.errors import ParseError
from monitor.parsing import parse_feed
from tests.support.corpus import corpus_path

URL = "https://news.example/feeds/world.xml"
FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def parse(doc: str | bytes, **options: int) -> ParseResult:
    body = doc.encode() if isinstance(doc, str) else doc
    return parse_feed(body, url=URL, fetched_at=FETCHED, **options)


def rss(items: str, prolog: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return f'{prolog}<rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>'


# The shape of every item of Google's Cloud Blog feed: an Open Graph block with an <image> (which resets
# feedparser's "first title wins" memory), then an author with a job title.
OG_ITEM = """<item><title>{title}</title><link>https://blog.example/{slug}</link><guid>{slug}</guid>
<og xmlns:og="http://ogp.me/ns#"><type>article</type><title>{title}</title><image>https://i.example/x.png</image></og>
<author xmlns:author="http://www.w3.org/2005/Atom"><name>Diane Chaleff</name><title>{job}</title></author></item>"""


def test_cloudblog_titles_are_the_items_own_not_the_authors_job() -> None:
    body = corpus_path("RSParser__cloudblog.rss").read_bytes()
    # the expected titles, read from the raw file: the first <title> after each <item>
    expected = [html.unescape(t) for t in re.findall(r"<item><title>(.*?)</title>", body.decode())]
    assert len(expected) == 20

    result = parse(body)

    assert [entry.title for entry in result.entries] == expected
    assert "Product Manager, Office of the CTO" not in {entry.title for entry in result.entries}


@pytest.mark.parametrize(
    ("title", "job", "expected"),
    [
        ("Summit called off", "Product Manager", "Summit called off"),
        ("Summit called off", "", "Summit called off"),  # an empty job title used to blank the title
        (
            "AT&amp;T &lt;b&gt;wins&lt;/b&gt; bid",
            "CTO",
            "AT&T wins bid",
        ),  # escaped HTML, as feedparser reads it
    ],
    ids=["job-title", "empty-job-title", "html-title"],
)
def test_an_items_own_title_wins_over_nested_ones(title: str, job: str, expected: str) -> None:
    result = parse(rss(OG_ITEM.format(title=title, slug="a", job=job)))

    assert [entry.title for entry in result.entries] == [expected]
    assert result.entries[0].author == "Diane Chaleff"


def test_an_item_without_its_own_title_keeps_a_media_title() -> None:
    items = (
        '<item xmlns:media="http://search.yahoo.com/mrss/"><guid>ep1</guid>'
        "<media:title>Episode one</media:title></item>"
        "<item><title>Two</title><guid>ep2</guid><source url='https://s.example/'><title>S</title></source></item>"
    )
    result = parse(rss("<image><title>Logo</title></image>" + items))  # more titles than items: scanned

    assert [entry.title for entry in result.entries] == ["Episode one", "Two"]


XHTML_DOCTYPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)


def test_an_rss_feed_under_an_xhtml_doctype_is_a_feed() -> None:
    result = parse(rss("<item><title>One</title><guid>1</guid></item>", prolog=XHTML_DOCTYPE))

    assert result.format == "rss20"
    assert [entry.title for entry in result.entries] == ["One"]


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><meta charset=utf-8><title>Moved</title><p>gone",  # HTML5 without <html>
        (XHTML_DOCTYPE + '<html xmlns="http://www.w3.org/1999/xhtml"><title>Moved</title></html>').encode(),
    ],
    ids=["html5-without-html-element", "xhtml-page"],
)
def test_an_html_page_is_still_refused_by_name(body: bytes) -> None:
    with pytest.raises(ParseError, match=r"an HTML page, not a feed \(title: 'Moved'\)"):
        parse(body)


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be", "utf-16-le"])
def test_wide_encodings_with_and_without_a_bom(codec: str) -> None:
    declared = "utf-32" if "32" in codec else "utf-16"
    doc = rss(
        "<item><title>Zürich – 東京</title><guid>z</guid></item>",
        prolog=f'<?xml version="1.0" encoding="{declared}"?>',
    )

    result = parse(doc.encode(codec))

    assert [entry.title for entry in result.entries] == ["Zürich – 東京"]


def test_a_json_feed_in_utf_32_is_read() -> None:
    doc = '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "Ümlaut"}]}'

    result = parse(doc.encode("utf-32"))

    assert [entry.title for entry in result.entries] == ["Ümlaut"]


def test_a_gzip_body_is_capped_at_max_bytes_once_decompressed() -> None:
    items = "".join(f"<item><title>Story {n}</title><guid>{n}</guid></item>" for n in range(2000))
    body = gzip.compress(rss(items).encode())
    assert len(body) < 20_000 < len(gzip.decompress(body))

    with pytest.raises(ParseError, match="larger than 20000 bytes once decompressed") as error:
        parse(body, max_bytes=20_000)

    assert "http.max_body_bytes" in error.value.reason
    assert len(parse(body, max_bytes=200_000).entries) == 2000
