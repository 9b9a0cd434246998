"""Format sniffing by content, and gunzip with a size cap."""

from __future__ import annotations

import gzip

import pytest

from monitor.errors import ParseError
from monitor.parsing import sniff_format
from monitor.parsing.detect import gunzip

SNIFF_CASES = [
    ("RSS", b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "xml"),
    ("Atom after whitespace and BOM", b'\xef\xbb\xbf  \n<feed xmlns="http://www.w3.org/2005/Atom"/>', "xml"),
    ("RSS with a comment and a DOCTYPE", b"<!-- c --><!DOCTYPE rss SYSTEM 'x.dtd'><rss/>", "xml"),
    ("UTF-16 XML", '<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"), "xml"),
    ("JSON object", b'  {"version": "https://jsonfeed.org/version/1.1"}', "json"),
    ("JSON array", b"[1, 2]", "json"),
    ("HTML5 page", b"<!DOCTYPE html><html><head><title>x</title></head></html>", "html"),
    ("HTML without doctype", b"<html><body>moved</body></html>", "html"),
    ("HTML head only", b"<head><title>Document Moved</title></head>", "html"),
    (
        "XHTML with an XML declaration",
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
        "html",
    ),
    (
        "RSS under an XHTML DOCTYPE",
        b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd"><rss/>',
        "xml",
    ),
    ("HTML5 without an html element", b"<!DOCTYPE html><meta charset=utf-8><title>x</title>", "html"),
    ("UTF-32 with a BOM", '<?xml version="1.0"?><rss/>'.encode("utf-32"), "xml"),
    ("UTF-32-BE without a BOM", "<rss/>".encode("utf-32-be"), "xml"),
    ("UTF-32-LE without a BOM", "<rss/>".encode("utf-32-le"), "xml"),
    ("UTF-16-BE without a BOM", "<rss/>".encode("utf-16-be"), "xml"),
    ("JSON in UTF-32", '{"version": 1}'.encode("utf-32"), "json"),
    ("EBCDIC XML", '<?xml version="1.0" encoding="cp037"?><rss/>'.encode("cp037"), "xml"),
    ("gzip", gzip.compress(b"<rss/>"), "gzip"),
    ("plain text", b"Service Unavailable", "unknown"),
    ("empty", b"", "unknown"),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in SNIFF_CASES], ids=[c[0] for c in SNIFF_CASES])
def test_sniff_format(body: bytes, expected: str) -> None:
    assert sniff_format(body) == expected


def test_gunzip_reads_every_member() -> None:
    assert gunzip(gzip.compress(b"<rss>") + gzip.compress(b"</rss>"), url="u") == b"<rss></rss>"


def test_gunzip_refuses_a_bomb() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    with pytest.raises(ParseError, match="larger than 1000000 bytes once decompressed"):
        gunzip(bomb, url="https://feeds.example/x", limit=1_000_000)


def test_gunzip_reports_truncation() -> None:
    body = gzip.compress(b"<rss>" + b"x" * 10_000 + b"</rss>")
    with pytest.raises(ParseError, match="truncated gzip body") as error:
        gunzip(body[: len(body) // 2], url="https://feeds.example/x")
    assert error.value.url == "https://feeds.example/x"


def test_gunzip_reports_corruption() -> None:
    body = bytearray(gzip.compress(b"<rss>" * 100))
    body[12:20] = b"\xff" * 8
    with pytest.raises(ParseError, match="corrupt gzip body"):
        gunzip(bytes(body), url="u")
