"""The hostile feeds, one row each: what the server does, and what newsmon must make of it.

Every row is polled through the real pipeline (``tests/hostile/test_hostile_feeds.py``) next to a healthy
feed, so each expectation is what an operator would see: either the feed's recorded error (a ``FetchError``
or ``ParseError`` naming the feed URL, with a reason to act on) or articles stored inert. The mechanisms
have their own focused tests (``tests/fetching``: caps, deadlines, redirect rules, the address guard;
``tests/parsing``: gunzip, sniffing, text reduction); this table is the catalogue of inputs, end to end.

``serve`` gets the feed server and a second server (another origin: "internal" for the SSRF rows, an
attacker's host for the DTD rows) and returns the URL to configure as the hostile feed.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.support.feed_server import FeedServer

Serve = Callable[[FeedServer, FeedServer], str]
StoredCheck = Callable[[Sequence[Any]], None]  # rows of (title, link, summary, content)


@dataclass(frozen=True)
class Hostile:
    """One hostile feed and the outcome newsmon must produce."""

    id: str
    serve: Serve
    refused: str | None = None  # a fragment of the feed's recorded error; None: articles are stored
    stored: StoredCheck | None = None  # what must hold of the stored articles (when not refused)
    http: dict[str, int] = field(default_factory=dict)  # ``http:`` settings, e.g. {"max_body_bytes": 100_000}
    full_text: bool = False  # configure the hostile feed with fetch_full_text: true
    # paths on the second server that must never be requested (DTDs, internal services)
    untouched: tuple[str, ...] = ()


def rss(items: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel><title>Hostile</title>'
        f"{items}</channel></rss>"
    ).encode()


def item(title: str, guid: str = "h1", extra: str = "") -> str:
    return f"<item><title>{title}</title><guid>{guid}</guid>{extra}</item>"


def body(data: bytes, **route: Any) -> Serve:
    """Serve ``data`` at /hostile.xml with these FeedServer route options."""
    return lambda server, other: server.route("/hostile.xml", body=data, **route)


def redirect_to(target: Callable[[FeedServer, FeedServer], str]) -> Serve:
    return lambda server, other: server.redirect("/hostile.xml", target(server, other))


def with_other(make: Callable[[FeedServer], bytes]) -> Serve:
    """A body that names the second server (a DTD or a page on it)."""

    def serve(server: FeedServer, other: FeedServer) -> str:
        other.route("/evil.dtd", body=b'<!ENTITY ext "pwned">', content_type="application/xml-dtd")
        other.route("/internal-admin", body=b"<html><body><p>" + b"secret " * 200 + b"</p></body></html>")
        return server.route("/hostile.xml", body=make(other))

    return serve


def redirect_loop(server: FeedServer, other: FeedServer) -> str:
    server.redirect("/loop-b", "/hostile.xml")
    return server.redirect("/hostile.xml", "/loop-b")


def one_title(check: Callable[[str], bool]) -> StoredCheck:
    def verify(rows: Sequence[Any]) -> None:
        assert len(rows) == 1, rows
        assert check(rows[0].title), rows[0].title[:200]

    return verify


def nothing_contains(secret: str) -> StoredCheck:
    def verify(rows: Sequence[Any]) -> None:
        assert rows
        for row in rows:
            assert all(secret not in (value or "") for value in row), row

    return verify


def inert_markup(rows: Sequence[Any]) -> None:
    (row,) = rows
    # stored as text: the characters survive (templates escape them later), nothing is a live link
    assert row.title == "<script>alert(1)</script> Sanctions on Acme"
    assert row.link is None  # a javascript: link is no link
    assert row.summary == "hi"  # <img onerror> is markup, dropped when HTML becomes text
    assert "<" not in row.content


def summary_kept(rows: Sequence[Any]) -> None:
    (row,) = rows
    assert row.summary == "Short summary."
    assert "secret" not in row.content  # the internal page was never read


BILLION_LAUGHS = (
    "<!DOCTYPE rss [<!ENTITY l0 'lol'>"
    + "".join(f"<!ENTITY l{n} '{f'&l{n - 1};' * 10}'>" for n in range(1, 10))
    + "]>"
)
QUADRATIC = "<!DOCTYPE rss [<!ENTITY a '" + "x" * 50_000 + "'>]>"
TEN_MB = 10_000_000
JS_ITEM = item(
    "&lt;script&gt;alert(1)&lt;/script&gt; Sanctions on Acme",
    extra="<link>javascript:alert(1)</link><description>&lt;img src=x onerror=alert(1)&gt;hi</description>"
    "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
    "<![CDATA[<script>document.cookie</script><a href='javascript:x()'>x</a>]]></content:encoded>",
)

CASES: list[Hostile] = [
    Hostile(
        "html-page", body(b"<!DOCTYPE html><html><head><title>Moved</title></head></html>"), "an HTML page"
    ),
    Hostile("empty-body", body(b""), "empty body"),
    Hostile("binary-garbage", body(bytes(range(256)) * 4), "unknown format"),
    Hostile(
        "xxe-file-entity",
        body(
            rss(
                item("&xxe;", extra="<description>&xxe;</description>"),
                '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            )
        ),
        stored=nothing_contains("root:"),
    ),
    Hostile(
        "external-dtd",
        with_other(lambda o: rss(item("a &ext;"), f'<!DOCTYPE rss SYSTEM "{o.url("/evil.dtd")}">')),
        stored=nothing_contains("pwned"),
        untouched=("/evil.dtd",),
    ),
    Hostile(
        "external-parameter-entity",
        with_other(
            lambda o: rss(item("a"), f'<!DOCTYPE rss [<!ENTITY % ext SYSTEM "{o.url("/evil.dtd")}"> %ext;]>')
        ),
        stored=nothing_contains("pwned"),
        untouched=("/evil.dtd",),
    ),
    Hostile(
        "billion-laughs", body(rss(item("&l9;"), BILLION_LAUGHS)), stored=one_title(lambda t: len(t) < 100)
    ),
    Hostile(
        "quadratic-blowup",  # 350 KB that would expand to 2.5 GB
        body(rss(item("&a;" * 50_000), QUADRATIC)),
        stored=one_title(lambda t: len(t) <= 200_000),
    ),
    Hostile("gzip-bomb", body(bytes(15_000_000), encoding="gzip"), "body larger than 10000000 bytes"),
    Hostile("deflate-bomb", body(bytes(15_000_000), encoding="deflate"), "body larger than 10000000 bytes"),
    Hostile(  # issue 8 item 9: gzip bytes without Content-Encoding, unpacked by the parser
        "gzip-without-content-encoding",
        body(gzip.compress(rss("".join(item(f"Story {n}", f"g{n}") for n in range(5000))))),
        "larger than 100000 bytes once decompressed",
        http={"max_body_bytes": 100_000},
    ),
    Hostile(
        "ten-mb-title-over-the-default-cap",
        body(rss(item("T" * TEN_MB))),
        "body larger than 10000000 bytes",
    ),
    Hostile(
        "ten-mb-title-under-a-raised-cap",
        body(rss(item("T" * TEN_MB))),
        stored=one_title(lambda t: t == "T" * TEN_MB),
        http={"max_body_bytes": 12_000_000},
    ),
    Hostile(
        "oversize-chunked-body",
        body(b"<rss>" + b"x" * 500_000, content_length=False, chunk_size=10_000),
        "body larger than 100000 bytes",
        http={"max_body_bytes": 100_000},
    ),
    Hostile("drip", body(rss(item("slow")), chunk_size=1, drip_s=0.05), "timed out after 1 s"),
    Hostile("silent", body(rss(item("late")), delay_s=5.0), "timed out after 1 s"),
    Hostile("redirect-loop", redirect_loop, "redirect loop at"),
    Hostile("redirect-to-file", redirect_to(lambda s, o: "file:///etc/passwd"), "unsupported scheme 'file'"),
    Hostile(
        "redirect-to-javascript",
        redirect_to(lambda s, o: "javascript:alert(1)"),
        "redirect to a URL that cannot be followed",
    ),
    Hostile(  # issue 8 item 8: a remote server may not send us to another local service
        "ssrf-redirect-to-another-local-port",
        redirect_to(lambda s, o: o.url("/internal-admin")),
        "refused to connect to 127.0.0.1 (loopback address of 127.0.0.1)",
        untouched=("/internal-admin",),
    ),
    Hostile(  # issue 8 item 8: an item link to an internal page, with fetch_full_text
        "ssrf-item-link-full-text",
        with_other(
            lambda o: rss(
                item(
                    "Internal",
                    extra=f"<link>{o.url('/internal-admin')}</link><description>Short summary.</description>",
                )
            )
        ),
        stored=summary_kept,
        full_text=True,
        untouched=("/internal-admin",),
    ),
    Hostile(
        "invalid-utf-8",
        body(rss(item("caf\u00e9 ok")).replace("é".encode(), b"\xe9\xff")),
        stored=one_title(lambda t: t.startswith("caf") and t.endswith(" ok")),
    ),
    Hostile("deep-json", body(b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
    Hostile(
        "deep-xml",
        body(rss(item("deep", extra="<x>" * 20_000 + "</x>" * 20_000))),
        stored=one_title(lambda t: t == "deep"),
    ),
    Hostile("script-and-javascript", body(rss(JS_ITEM)), stored=inert_markup),
]
