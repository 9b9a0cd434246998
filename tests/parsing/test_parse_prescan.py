"""Dropping known items before feedparser must give exactly what a full parse filtered afterwards gives.

Each document below is parsed once in full; then, for every subset of its identities (plus "decoys": the
GUID-only and link-only identities an earlier poll may have stored for items that now collide), the result
with ``known_identities`` must equal the full result without the known entries. ``skipped_before_parse``
shows whether the fast path ran: it must run on ordinary feeds and stand aside on tricky ones.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest

from monitor.domain import ParseResult
from monitor.parsing import parse_feed, parse_feed_with_stats
from monitor.parsing.identity import guid_identity, link_identity
from monitor.parsing.links import canonical_link

URL = "https://news.example/feeds/main.xml"
FETCHED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def without(full: ParseResult, known: frozenset[str]) -> ParseResult:
    """The full parse, filtered afterwards: what the pre-scan must reproduce."""
    return dataclasses.replace(full, entries=tuple(e for e in full.entries if e.identity not in known))


def decoys(body: bytes) -> frozenset[str]:
    """The GUID and link identities of every text and attribute value in the document.

    They stand for identities stored by earlier polls (before two items came to share a GUID, say): a
    pre-scan that misreads an item's GUID or link would find them "known" and wrongly cut the item.
    """
    text = body.decode("utf-8", "replace")
    values = {v.strip() for v in re.findall(r">([^<]+)<", text) + re.findall(r"=['\"]([^'\"]+)['\"]", text)}
    for base in (URL, "https://base.example/feed/", "https://blog.example/", "https://other.example/dir/"):
        values |= {urljoin(base, v) for v in list(values)}
    links = {link for v in values if (link := canonical_link(v, URL))}
    return frozenset({guid_identity(v) for v in values if v} | {link_identity(link) for link in links})


def assert_prescan_is_exact(body: bytes) -> int:
    """Checks every known-subset; returns how many items the pre-scan cut in the best case."""
    full = parse_feed(body, url=URL, fetched_at=FETCHED)
    identities = [e.identity for e in full.entries]
    most_cut = 0
    stale = decoys(body) - set(identities)
    for subset in known_subsets(identities):
        for extra in (frozenset(), stale):
            known = subset | extra
            result, stats = parse_feed_with_stats(body, url=URL, fetched_at=FETCHED, known_identities=known)
            assert result == without(full, known), f"known={sorted(known)}"
            assert stats.skipped_known == len(full.entries) - len(result.entries)
            most_cut = max(most_cut, stats.skipped_before_parse)
    return most_cut


def known_subsets(identities: list[str]) -> list[frozenset[str]]:
    """Every subset of a small document; for a larger one: none, all, each alone, all but each, alternate."""
    if len(identities) <= 5:
        sizes = range(len(identities) + 1)
        return [frozenset(c) for size in sizes for c in itertools.combinations(identities, size)]
    every = frozenset(identities)
    alone = [frozenset([i]) for i in identities]
    return [frozenset(), every, *alone, *(every - one for one in alone), every - set(identities[::2])]


RSS_ITEM = "<item><title>{0}</title>{1}<description>&lt;p&gt;Text {0}&lt;/p&gt;</description></item>"


def rss(*items: str, channel_attrs: str = "", head: str = "") -> bytes:
    body = "".join(items)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:x="urn:example:unknown" '
        f"{channel_attrs}><channel><title>T</title><link>https://news.example/</link>{body}</channel></rss>"
    ).encode()


def item(title: str, inner: str) -> str:
    return RSS_ITEM.format(title, inner)


# name → (document, how many items the pre-scan cuts when every identity is known)
FAST = {
    "unique guids": (rss(*(item(f"n{i}", f"<guid isPermaLink='false'>id-{i}</guid>") for i in range(5))), 5),
    "guid-less items with links": (
        rss(
            item("a", "<link>https://news.example/a?utm_source=x</link>"),
            item("b", "<link>/relative/b</link>"),
            item("c", "<link>https://news.example/c?x=1&amp;y=2</link>"),
            item("d", "<atom:link href='https://news.example/d'/>"),
            item("e", "<link>https://news.example/e?a=1&amp;b;c=2</link>"),  # feedparser drops the ";"
            item("f", "<link>https://news.example/f1</link><atom:link href='https://news.example/f2'/>"),
        ),
        5,
    ),
    "permalink guids and xml:base": (
        rss(
            item("a", "<guid>a-1</guid>"),
            item("b", "<guid>https://news.example/b</guid>"),
            '<item xml:base="https://other.example/dir/"><title>c</title><guid>c-3</guid></item>',
            item("d", "<guid>d-4</guid>"),  # feedparser lets the previous item's base leak into this one
            item("e", "<guid isPermaLink='false'>e-5</guid>"),
            channel_attrs='xml:base="https://base.example/feed/"',
        ),
        5,
    ),
    "atom with source, xhtml and relative links": (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/"><title>B</title>'
        b"<entry><id>urn:1</id><title>one</title><link href='p/1'/>"
        b"<source><id>urn:elsewhere</id><link href='https://elsewhere.example/'/></source></entry>"
        b"<entry><id>urn:2</id><title>two</title>"
        b"<link rel='alternate' href='p/2'/><link rel='replies' href='p/2#c'/>"
        b"<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>x</p></div></content></entry>"
        b"<entry xml:base='sub/'><id>3</id><title>three</title></entry>"
        b"<entry><title>four</title><link href='p/4'/></entry></feed>",
        4,
    ),
    "rdf items": (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b"<channel rdf:about='https://lab.example/'><title>L</title></channel>"
        b"<item rdf:about='https://lab.example/1'><title>1</title><link>https://lab.example/1</link></item>"
        b"<item rdf:about='https://lab.example/2'><title>2</title><link>https://lab.example/2</link></item>"
        b"<item><title>3</title><link>https://lab.example/3</link></item>"
        b"<item rdf:about='https://lab.example/4'><title>4</title><guid>lab-4</guid></item></rdf:RDF>",
        3,
    ),
    "items with an image": (
        rss(
            item(
                "a",
                "<link>https://news.example/a</link><image><url>u</url><link>https://img.example/a</link></image>",
            ),
            # feedparser forgets it is in the image at <foo/> and takes the image's link as the item's
            item(
                "b",
                "<image><foo/><link>https://img.example/b</link></image><link>https://news.example/b</link>",
            ),
            item("c", "<link>https://news.example/c</link>"),
        ),
        2,
    ),
    "collisions and ambiguity": (
        rss(
            item("a", "<guid>same</guid><link>https://news.example/a</link>"),
            item("b", "<guid>same</guid><link>https://news.example/b</link>"),
            item("c", "<guid>one</guid><guid>two</guid>"),
            item("d", "<guid>two</guid>"),
            item("e", "<link>https://news.example/shared</link>"),
            item("f", "<link>https://news.example/shared</link>"),
            item("g", "<guid>caf\u00e9</guid>"),
            item("h", "<guid>a&amp;b&#33;</guid>"),
            item("i", "<guid><![CDATA[cdata-guid]]></guid>"),
        ),
        2,  # only "h" and "i" are certain (see below)
    ),
    "namespaces": (
        b'<rss version="2.0" xmlns="http://backend.userland.com/rss2" xmlns:y="urn:y">'
        b"<channel><title>T</title>"
        b"<item><title>a</title><guid>a</guid></item>"
        b"<y:item><title>not an item</title><guid>y</guid></y:item>"
        b"<item><title>b</title><y:guid>not a guid</y:guid><link>https://n.example/b</link></item>"
        b"<Item><title>c</title><GUID>c</GUID></Item></channel></rss>",
        3,
    ),
    "cdf href and empty guid": (
        rss(
            '<item href="https://news.example/cdf"><title>a</title></item>',
            item("b", "<guid></guid><link>https://news.example/b</link>"),
            item("c", "<guid>c</guid>"),
        ),
        2,
    ),
}

SLOW_PATH = {
    "nested items": rss(item("a", "<guid>a</guid><item/>"), item("b", "<guid>b</guid>")),
    "malformed": rss(item("a", "<guid>a</guid><title>x & y</title>"), item("b", "<guid>b</guid>")),
    "declared entities": rss(
        item("a", "<guid>&g;</guid>"), item("b", "<guid>b</guid>"), head='<!DOCTYPE rss [<!ENTITY g "a">]>'
    ),
    "div in escaped content with xml:base": (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/"><title>B</title>'
        b"<entry><id>1</id><title>one</title><content type='html'><div>x</div></content></entry>"
        b"<entry><id>2</id><title>two</title><link href='p/2'/></entry></feed>"
    ),
}


@pytest.mark.parametrize(("body", "cut"), FAST.values(), ids=FAST.keys())
def test_prescan_cuts_known_items_and_changes_nothing(body: bytes, cut: int) -> None:
    assert assert_prescan_is_exact(body) == cut


@pytest.mark.parametrize("body", SLOW_PATH.values(), ids=SLOW_PATH.keys())
def test_documents_the_prescan_cannot_mirror_are_parsed_in_full(body: bytes) -> None:
    assert assert_prescan_is_exact(body) == 0


def test_the_prescan_cuts_only_what_it_is_sure_of() -> None:
    body, _ = FAST["collisions and ambiguity"]
    full = parse_feed(body, url=URL, fetched_at=FETCHED)
    everything = frozenset(e.identity for e in full.entries) | decoys(body)
    _, stats = parse_feed_with_stats(body, url=URL, fetched_at=FETCHED, known_identities=everything)
    # only "h" and "i" are certain: a/b share a GUID, c has two, d's GUID is one of c's, e/f share a link,
    # g's GUID is not ASCII
    assert (stats.skipped_known, stats.skipped_before_parse) == (9, 2)
