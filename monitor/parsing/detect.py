"""What a fetched body is, judged by its bytes: gzip, JSON, XML, HTML or unknown.

File extensions and Content-Type headers lie (``.rss`` files that are Atom, gzip served without
Content-Encoding, JSON Feeds served as ``text/plain``), so the parser looks at the first bytes instead.
"""

from __future__ import annotations

import re
import zlib

from monitor.errors import ParseError

GZIP_MAGIC = b"\x1f\x8b"
# the default cap of a decompressed body; callers pass the configured ``http.max_body_bytes`` instead
MAX_DECOMPRESSED_BYTES = 10_000_000
_SNIFF_BYTES = 4096
# UTF-32 first: its little-endian BOM starts with UTF-16's
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# no BOM: how the first character ("<", "{" or "[") is encoded tells a wide encoding (XML 1.0 appendix F);
# UTF-32 first, since "<" in UTF-32-LE starts like "<" in UTF-16-LE
_WIDE_CODECS = ("utf-32-be", "utf-32-le", "utf-16-be", "utf-16-le")
_EBCDIC_XML = "<?xm".encode("cp037")  # the last family appendix F can tell; feedparser reads it
# what may precede the root element of an XML document: declarations, comments, processing instructions
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<![Dd][Oo][Cc][Tt][Yy][Pp][Ee][^>\[]*(?:\[.*?\])?\s*>)", re.S
)
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html", re.I)
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_HTML_ROOTS = frozenset({"html", "head", "body"})
# root elements (local names) of the feed formats: a feed under an (X)HTML DOCTYPE is still a feed
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)


def head_text(body: bytes) -> str:
    """The first few KB as text, good enough to look at markup (BOMs, UTF-16, UTF-32 and EBCDIC handled)."""
    sample = body[:_SNIFF_BYTES]
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return sample[len(bom) :].decode(codec, "ignore")
    for codec in _WIDE_CODECS:
        if any(sample.startswith(first.encode(codec)) for first in "<{["):
            return sample.decode(codec, "ignore")
    if sample.startswith(_EBCDIC_XML):
        return sample.decode("cp037")
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
    position, html_doctype = 0, False
    while match := _PROLOG.match(head, position):
        html_doctype = html_doctype or _HTML_DOCTYPE.search(match.group(0)) is not None
        position = match.end()
    root = _ROOT.match(head[position:].lstrip())
    name = root.group(1).lower().rpartition(":")[2] if root else ""
    if name in _HTML_ROOTS:
        return "html"
    # an HTML DOCTYPE decides only when the root is not a feed's: HTML5 may omit <html>, while feeds
    # written by XHTML tool chains carry an XHTML DOCTYPE above <rss>
    return "html" if html_doctype and name not in _FEED_ROOTS else "xml"


def html_title(body: bytes) -> str | None:
    """The ``<title>`` of an HTML page, for error messages."""
    match = _TITLE.search(head_text(body))
    return " ".join(match.group(1).split())[:120] if match else None


def gunzip(body: bytes, *, url: str, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """All gzip members of ``body`` decompressed; ParseError if corrupt, truncated or over ``limit`` bytes.

    Decompression stops ``limit + 1`` bytes in, so a bomb costs at most ``limit`` bytes of memory.
    """
    output = bytearray()
    data = body
    while data[:2] == GZIP_MAGIC:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            output += inflater.decompress(data, limit + 1 - len(output))
        except zlib.error as exc:
            raise ParseError(url, f"corrupt gzip body: {exc}") from exc
        if len(output) > limit:
            raise ParseError(
                url,
                f"gzip body larger than {limit} bytes once decompressed: refused (a feed this big is a "
                "mistake or a decompression bomb; raise http.max_body_bytes if it is genuine)",
            )
        if not inflater.eof:
            raise ParseError(url, "truncated gzip body")
        data = inflater.unused_data  # a further member, or trailing bytes we ignore
    return bytes(output)
