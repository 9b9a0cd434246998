"""Labeled articles for ``newsmon rules eval``: YAML files read into frozen values, every problem located.

Each file is a YAML list of articles (the format is documented in docs/rules.md, "Measuring rules")::

    - id: dev-sanc-001
      story: st-017
      source: Harbor Wire
      published: 2026-03-02T09:15:00Z
      title: Treasury blacklists Gulf shipping network
      text: |
        ...
      class: unnamed-target
      expect:
        sanctions-new: {target: [Northwind Petroleum], authority: European Union}

A rule not listed under ``expect`` must not match the article. Like rule files, label files are written by
people, so every mistake is reported at once with file:line:col (``LabelError``), never half-loaded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from monitor.errors import LabelError, Problem, SourceLocation
from monitor.settings.yaml_source import LocatedDocument, load_file

LABEL_SUFFIXES = (".yaml", ".yml")
REQUIRED_KEYS = ("id", "published", "text")
OPTIONAL_KEYS = ("story", "source", "title", "class", "expect")
DEFAULT_SOURCE = "labels"


@dataclass(frozen=True)
class Expectation:
    """One rule that must match an article, with the captures it must make (only those are checked)."""

    rule_id: str
    captures: Mapping[str, Any]
    location: SourceLocation


@dataclass(frozen=True)
class LabeledArticle:
    """One article of the corpus and what the rules must say about it."""

    id: str
    published: datetime
    text: str
    location: SourceLocation
    title: str = ""
    source: str = DEFAULT_SOURCE
    story: str | None = None
    phrasing: str = ""  # the ``class`` tag: which phrasing it exercises, for the report
    expect: Mapping[str, Expectation] = field(default_factory=dict)


def label_files(paths: Sequence[Path]) -> list[Path]:
    """The YAML files under ``paths`` (files as given; folders searched recursively, sorted, hidden skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(_yaml_under(path)))
        else:
            found.append(path)
    return found


def _yaml_under(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and path.suffix in LABEL_SUFFIXES and not hidden:
            yield path


def load_labels(paths: Sequence[Path]) -> list[LabeledArticle]:
    """Every labeled article under ``paths``, in file order; raises ``LabelError`` listing every problem."""
    files = label_files(paths)
    problems: list[Problem] = []
    if not files:
        where = ", ".join(str(p) for p in paths) or "(no path)"
        raise LabelError([Problem(SourceLocation(where), "no label files (*.yaml) found")])
    articles: list[LabeledArticle] = []
    first_seen: dict[str, SourceLocation] = {}
    for file in files:
        for document in load_file(file):
            problems.extend(document.problems)
            articles.extend(_articles(document, problems, first_seen))
    if problems:
        raise LabelError(problems, summary=f"labels: {len(problems)} problem(s)")
    return articles


def _articles(
    document: LocatedDocument, problems: list[Problem], first_seen: dict[str, SourceLocation]
) -> Iterator[LabeledArticle]:
    if document.data is None:
        return
    if not isinstance(document.data, list):
        problems.append(
            Problem(
                document.locate(()), "a label file is a YAML list of articles", "start each with '- id: …'"
            )
        )
        return
    for index, raw in enumerate(document.data):
        if not isinstance(raw, dict):
            problems.append(
                Problem(document.locate((index,)), "an article is a mapping (id, published, text…)")
            )
            continue
        reader = _Reader(document, (index,), problems)
        _unique_id(reader, raw.get("id"), first_seen)
        article = _article(reader, raw)
        if article is not None:
            yield article


def _unique_id(reader: _Reader, value: Any, first_seen: dict[str, SourceLocation]) -> None:
    if not isinstance(value, str | int) or isinstance(value, bool):
        return  # missing or not text: reported as such
    where = reader.value("id")
    earlier = first_seen.setdefault(str(value).strip(), where)
    if earlier is not where:
        reader.error(where, f"duplicate id '{value}'", f"first used at {earlier}")


@dataclass
class _Reader:
    """Where one article was written, and the list its problems go to."""

    document: LocatedDocument
    base: tuple[str | int, ...]
    problems: list[Problem]
    failed: bool = False

    def key(self, *path: str | int) -> SourceLocation:
        return self.document.locate((*self.base, *path))

    def value(self, *path: str | int) -> SourceLocation:
        full = (*self.base, *path)
        if (*full, "__value__") in self.document.locations:
            return self.document.locations[(*full, "__value__")]
        return self.document.locate(full)

    def error(self, where: SourceLocation, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(where, message, hint))
        self.failed = True


def _article(reader: _Reader, raw: dict[str, Any]) -> LabeledArticle | None:
    known = (*REQUIRED_KEYS, *OPTIONAL_KEYS)
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"keys: {', '.join(known)}"
            reader.error(reader.key(str(key)), f"unknown key '{key}'", hint)
    for key in REQUIRED_KEYS:
        if raw.get(key) in (None, ""):
            reader.error(reader.key(), f"article without '{key}'")
    texts = {key: _text(reader, raw, key) for key in ("id", "text", "title", "source", "story", "class")}
    published = _published(reader, raw.get("published"))
    expect = _expect(reader, raw.get("expect"))
    if reader.failed or published is None or expect is None:
        return None
    return LabeledArticle(
        id=texts["id"] or "",
        published=published,
        text=texts["text"] or "",
        location=reader.value("id"),
        title=texts["title"] or "",
        source=texts["source"] or DEFAULT_SOURCE,
        story=texts["story"],
        phrasing=texts["class"] or "",
        expect=expect,
    )


def _text(reader: _Reader, raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        reader.error(reader.value(key), f"'{key}' must be text, not {_kind(value)}")
        return None
    return str(value).strip() or None


def _published(reader: _Reader, value: Any) -> datetime | None:
    if value is None:
        return None  # reported as missing
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            moment = None
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = None  # a bare date: no time of day, no zone
    if not isinstance(moment, datetime):
        reader.error(
            reader.value("published"), "'published' is not a date and time", "write 2026-03-02T09:15:00Z"
        )
        return None
    if moment.tzinfo is None:
        reader.error(
            reader.value("published"), "'published' has no time zone", "end it with Z (UTC) or +01:00"
        )
        return None
    return moment


def _expect(reader: _Reader, value: Any) -> dict[str, Expectation] | None:
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.error(
            reader.value("expect"), "'expect' maps rule ids to their expected captures", "or {} for none"
        )
        return None
    found: dict[str, Expectation] = {}
    for rule_id, captures in value.items():
        where = reader.key("expect", str(rule_id))
        if captures is None:
            captures = {}
        if not isinstance(captures, dict):
            reader.error(
                reader.value("expect", str(rule_id)),
                f"the expectation of '{rule_id}' must map capture names to values",
                "or {} to check only that it matches",
            )
            continue
        for name, wanted in captures.items():
            problem = _capture_problem(wanted)
            if problem:
                reader.error(reader.value("expect", str(rule_id), str(name)), f"capture '{name}': {problem}")
        found[str(rule_id)] = Expectation(str(rule_id), dict(captures), where)
    return found


def _capture_problem(value: Any) -> str | None:
    """Why a labeled capture cannot be compared, or None: text, numbers, lists of them, or a flat mapping."""
    if _scalar(value):
        return None
    if isinstance(value, list):
        bad = [item for item in value if not _scalar(item)]
        if bad:
            return f"a list holds only text and numbers, not {_kind(bad[0])}"
        split = [item for item in value if isinstance(item, str) and _BARE_SUFFIX.fullmatch(item)]
        if split:  # [X Co., Ltd.]: a flow list splits at the name's own comma
            return f"'{split[0]}' is not a name but the end of the one before it: quote that name (\"X Co., Ltd.\")"
        return None
    if isinstance(value, dict):
        bad = [item for item in value.values() if not _scalar(item)]
        return f"a mapping holds only text and numbers, not {_kind(bad[0])}" if bad else None
    return f"expected text, a number, a list or a mapping, not {_kind(value)}"


_BARE_SUFFIX = re.compile(r"(?:Ltd|Limited|Inc|LLC|Corp|PLC|GmbH|AG|S\.?A)\.?")


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(type(value), type(value).__name__)
