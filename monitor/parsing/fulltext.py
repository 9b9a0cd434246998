"""Article page (HTML bytes) → its main text, for feeds that carry only a summary; trafilatura's one home.

A page is mostly not the article: navigation, related links, cookie banners, comments, footers. Finding
the article body among them is a solved, fiddly problem (boilerplate removal over the DOM, with
readability and jusText as fallbacks), so it is trafilatura's job here and not ours; it is tolerant of
broken markup, runs no scripts and fetches nothing. Fetching the page stays in ``fetching`` (same limits
as feeds); this module only sees bytes.

The text is plain: one paragraph (or heading, or list item) per line, entities unescaped, like
``text.html_to_text`` gives for feed content, so rules see the same kind of text either way.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

from monitor.errors import ParseError
from monitor.parsing.detect import sniff_format

# Media types worth extracting from; anything else (a PDF, an image, a feed) is refused by name.
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def extract_main_text(body: bytes, *, url: str, content_type: str | None = None) -> str:
    """The main text of the article page ``body`` fetched from ``url``.

    ``content_type`` is the response's header: a non-HTML media type is refused unless the bytes start
    like an HTML document, and its charset (when it names a known codec) decodes the page; without one the page's own ``<meta charset>`` or byte
    sniffing decides. Raises ``ParseError`` when the page is not HTML or has no main text at all.
    """
    media_type, charset = _media_type(content_type)
    # headers lie (HTML served as text/plain), so a page that looks like HTML is read whatever it says
    if media_type is not None and media_type not in HTML_MEDIA_TYPES and sniff_format(body) != "html":
        raise ParseError(url, f"not an HTML page ({media_type})")
    if not body.strip():
        raise ParseError(url, "empty page")
    # imported here: it costs ~0.15 s and ~15 MB, paid only by daemons with a full-text feed, not by
    # every CLI command and parse worker that imports ``monitor.parsing``
    import trafilatura

    document: bytes | str = body.decode(charset, errors="replace") if charset else body
    try:
        text = trafilatura.extract(
            document,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            with_metadata=False,
        )
    except Exception as exc:  # trafilatura documents no exceptions; lxml below it may raise on hostile markup
        raise ParseError(url, f"could not read the page: {exc or type(exc).__name__}") from exc
    cleaned = _clean(text or "")
    if not cleaned:
        raise ParseError(url, "no main text found in the page")
    return cleaned


def _media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """(lower-cased media type, a charset Python knows) from a Content-Type header; None for what is absent."""
    if not content_type or not content_type.strip():
        return None, None
    header = Message()
    header["content-type"] = content_type
    media_type = header.get_content_type()  # defaults to text/plain when the header is unreadable
    charset = header.get_content_charset()
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None  # an unknown charset name: let the page's own declaration decide
    return media_type, charset


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()
