"""Plain article files → ``Entry``, for ``newsmon match`` dry runs over text that never was in a feed.

* ``.txt`` (also ``.text`` and ``.md``): the first non-empty line is the title, the rest is the content.
* ``.json``: one object with ``title``, ``link``, ``content``, ``summary``, ``published`` (and optionally
  ``guid``, ``author``, ``language``, ``tags``).

The identity follows the same chain as feed items (``identity.py``), so an article file that carries a link
gets the identity the same article would get from a feed; without GUID or link it comes from the text.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from monitor.domain import Entry
from monitor.errors import ParseError
from monitor.parsing import dates, links, text
from monitor.parsing.drafts import Draft, finalise, normalise_language, unique_tags

_TEXT_SUFFIXES = (".txt", ".text", ".md")
_LOOKS_LIKE_HTML = re.compile(r"<(?:[A-Za-z][\w-]*[\s/>]|/[A-Za-z]|!--)")


def parse_article_file(path: Path, fetched_at: datetime) -> Entry:
    """The article in ``path`` (.txt/.text/.md or .json); ParseError if unreadable, empty or another kind."""
    suffix = path.suffix.lower()
    if suffix not in (*_TEXT_SUFFIXES, ".json"):
        raise ParseError(
            str(path), f"unsupported article file type {suffix or '(none)'!r}: use .txt or .json"
        )
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(str(path), f"cannot read article file: {exc}") from exc
    draft = _from_json(raw, path) if suffix == ".json" else _from_text(raw, path)
    final = finalise([draft], fetched_at=dates.to_utc(fetched_at), known=frozenset())
    if not final.entries:
        raise ParseError(str(path), "article file has no title, link or text")
    return final.entries[0]


def _from_text(raw: str, path: Path) -> Draft:
    lines = raw.strip().splitlines()
    if not lines:
        raise ParseError(str(path), "article file is empty")
    return Draft(
        guid=None, link=None, title=text.collapse_whitespace(lines[0]), content=_body("\n".join(lines[1:]))
    )


def _from_json(raw: str, path: Path) -> Draft:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError(
            str(path), f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise ParseError(str(path), "an article .json file must hold one object with title, link, content…")
    guid = _string(data, "guid") or _string(data, "id")
    tags = data.get("tags")
    return Draft(
        guid=guid.strip() or None,
        link=links.canonical_link(_string(data, "link") or _string(data, "url")),
        title=text.plain_text(_string(data, "title")),
        summary=_body(_string(data, "summary")),
        content=_body(_string(data, "content")),
        author=_string(data, "author").strip() or None,
        published_at=dates.parse_date(_string(data, "published")),
        language=normalise_language(data.get("language")),
        tags=unique_tags(tags if isinstance(tags, list) else []),
    )


def _body(value: str) -> str:
    """Article text may be plain or HTML; markup is removed either way."""
    return text.html_to_text(value) if _LOOKS_LIKE_HTML.search(value) else text.plain_text(value)


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""
