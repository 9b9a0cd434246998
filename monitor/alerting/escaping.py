"""Feed text is untrusted: in a Markdown alert it must read as the words it is, never as markup.

A feed title like ``*BREAKING* [click](javascript:…)`` must not turn bold or into a link in a chat client
or, after apprise converts Markdown to HTML for e-mail, into raw HTML. Every value a Markdown template prints
goes through ``escape_markdown`` unless it is ``MarkdownSafe`` — text this module built itself.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# ASCII punctuation that CommonMark / Python-Markdown / chat flavours give a meaning anywhere in a line; a
# backslash before any ASCII punctuation is a valid escape in CommonMark.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|<>~])")
# ... and what means something only where a line starts: a list item ("-", "+", "1."), a heading ("#", or
# "===" / "---" under a line). Values are single lines, but a template may print one at a line's start.
_LINE_START = re.compile(r"^(\s*)([-+#=]|\d+\.)", re.MULTILINE)
_WHITESPACE = re.compile(r"\s+")
_SAFE_SCHEMES = ("http", "https")


class MarkdownSafe(str):
    """Text that already is Markdown (built here from escaped parts): printed as it is."""

    __slots__ = ()


def one_line(text: str) -> str:
    """Collapse every run of whitespace, newlines included, to one space: feed fields are single lines."""
    return _WHITESPACE.sub(" ", text).strip()


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when something was cut; alerts are read on phones."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def escape_markdown(value: object) -> MarkdownSafe:
    """``value`` as Markdown that renders to exactly its text."""
    if isinstance(value, MarkdownSafe):
        return value
    text = _SPECIAL.sub(r"\\\1", str(value))
    return MarkdownSafe(_LINE_START.sub(_escape_line_start, text))


def _escape_line_start(found: re.Match[str]) -> str:
    marker = found.group(2)
    escaped = f"{marker[:-1]}\\." if marker.endswith(".") else f"\\{marker}"
    return found.group(1) + escaped


def markdown_link(text: object, url: str | None) -> MarkdownSafe:
    """``[text](url)`` for an http(s) link; only the escaped text for anything else (``javascript:``, none).

    The URL is percent-encoded where Markdown would end or break the destination (spaces, parentheses,
    angle brackets), which every renderer decodes back to the same address.
    """
    label = escape_markdown(text)
    if not url or urlsplit(url).scheme.lower() not in _SAFE_SCHEMES:
        return label
    destination = quote(
        url, safe="/:?#&=%@+,;~!$'*[]-._"
    )  # not safe, so encoded: space ( ) < > and backslash
    return MarkdownSafe(f"[{label}]({destination})")


def http_url(url: object) -> str:
    """``url`` when it is an http(s) address, else "": an HTML alert links nothing else (``javascript:``).

    The HTML environment autoescapes the result like any value, so quotes cannot end the attribute.
    """
    text = str(url or "")
    return text if urlsplit(text).scheme.lower() in _SAFE_SCHEMES else ""
