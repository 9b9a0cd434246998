"""Canonical article links: absolute, web-only, without tracking noise.

The same story reached through two newsletters differs only in ``utm_*`` parameters or a ``#fragment``;
storing the canonical form makes links comparable across polls and feeds. Only the query parameters whose
names start with ``utm_`` are removed, and the remaining query keeps its original bytes (no re-encoding), so
a publisher's own parameters (``?id=123&p=2``) survive untouched.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

WEB_SCHEMES = frozenset({"http", "https"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def absolute_url(href: str | None, base: str | None) -> str | None:
    """``href`` resolved against ``base``; None when empty or when the result is not an http(s) URL."""
    if not href:
        return None
    href = href.strip()
    if not href:
        return None
    try:
        resolved = urljoin(base, href) if base else href
        parts = urlsplit(resolved)
    except ValueError:  # e.g. an invalid IPv6 literal in the authority
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return None
    return resolved


def canonical_link(href: str | None, base: str | None = None) -> str | None:
    """The canonical form of a link: absolute http(s), lower-case scheme and host, no fragment, no utm_*."""
    resolved = absolute_url(href, base)
    if resolved is None:
        return None
    parts = urlsplit(resolved)
    query = "&".join(pair for pair in parts.query.split("&") if pair and not pair.lower().startswith("utm_"))
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()  # never lower-case credentials
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def is_web_url(value: str | None) -> bool:
    """True when ``value`` is already an absolute http(s) URL (used to accept a GUID as a permalink)."""
    return bool(value) and absolute_url(value, None) is not None


def is_html_alternate(rel: str | None, media_type: str | None) -> bool:
    """A feed link that points at the article page: rel "alternate" and an HTML media type (or none)."""
    if (rel or "alternate") != "alternate":
        return False
    return (media_type or "text/html").lower() in _HTML_TYPES
