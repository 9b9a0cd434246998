"""What a fetched body is, judged by its bytes: gzip, JSON, XML, HTML or unknown.

File extensions and Content-Type headers lie (``.rss`` files that are Atom, gzip served without
Content-Encoding, JSON Feeds served as ``text/plain``), so the parser looks at the first bytes instead.
"""

from __future__ import annotations

import re
import zlib

from monitor.errors import ParseError

GZIP_MAGIC = b"\x1f\x8b"
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024  # a feed bigger than this is an attack or a mistake
_SNIFF_BYTES = 4096
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# what may precede the root element of an XML document: declarations, comments, processing instructions
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<![Dd][Oo][Cc][Tt][Yy][Pp][Ee][^>\[]*(?:\[.*?\])?\s*>)", re.S
)
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html", re.I)
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_HTML_ROOTS = frozenset({"html", "head", "body"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)


def head_text(body: bytes) -> str:
    """The first few KB as text, good enough to look at markup (BOMs and UTF-16 handled)."""
    sample = body[:_SNIFF_BYTES]
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return sample[len(bom) :].decode(codec, "ignore")
    if sample[:2] == b"<\x00":
        return sample.decode("utf-16-le", "ignore")
    if sample[:2] == b"\x00<":
        return sample.decode("utf-16-be", "ignore")
    return sample.decode("latin-1")


def sniff_format(body: bytes) -> str:
    """ "gzip", "json", "xml", "html" or "unknown" (which includes an empty body)."""
    if body[:2] == GZIP_MAGIC:
        return "gzip"
    head = head_text(body).lstrip()
    if head[:1] in ("{", "["):
        return "json"
    if head[:1] != "<":
        return "unknown"
    position = 0
    while match := _PROLOG.match(head, position):
        if _HTML_DOCTYPE.search(match.group(0)):
            return "html"
        position = match.end()
    root = _ROOT.match(head[position:].lstrip())
    return "html" if root and root.group(1).lower() in _HTML_ROOTS else "xml"


def html_title(body: bytes) -> str | None:
    """The ``<title>`` of an HTML page, for error messages."""
    match = _TITLE.search(head_text(body))
    return " ".join(match.group(1).split())[:120] if match else None


def gunzip(body: bytes, *, url: str, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """All gzip members of ``body`` decompressed; ParseError if corrupt, truncated or over ``limit`` bytes."""
    output = bytearray()
    data = body
    while data[:2] == GZIP_MAGIC:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            output += inflater.decompress(data, limit + 1 - len(output))
        except zlib.error as exc:
            raise ParseError(url, f"corrupt gzip body: {exc}") from exc
        if len(output) > limit:
            raise ParseError(url, f"gzip body larger than {limit} bytes once decompressed")
        if not inflater.eof:
            raise ParseError(url, "truncated gzip body")
        data = inflater.unused_data  # a further member, or trailing bytes we ignore
    return bytes(output)
