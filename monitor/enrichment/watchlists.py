"""Watch lists: named lists of entities with a canonical name and aliases, written in YAML by analysts.

    # rules/watchlists/companies.yaml
    watchlist: companies          # optional; the file name without .yaml otherwise
    label: ORG                    # the entity label of every entry unless an entry says otherwise
    entries:
      - name: Rosneft             # the canonical name rules and alerts show
        aliases: [Rosneft Oil Company, NK Rosneft]
      - name: LSEG
        aliases: [London Stock Exchange Group]
        case_sensitive: true      # match only as written (default: any case)
      - Gazprom                   # a name with no aliases

A listed name is found even when the statistical model misses it, and every alias resolves to the
canonical name. Loading collects every problem in every file (unknown keys, wrong types, an alias listed
twice) and raises one ``ConfigError`` with file:line:col for each.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError, Problem, SourceLocation
from monitor.settings.yaml_source import LocatedDocument, load_file

WATCHLIST_LABELS = ("PERSON", "ORG", "GPE", "NORP", "EVENT")
_LIST_KEYS = ("watchlist", "description", "label", "case_sensitive", "entries")
_ENTRY_KEYS = ("name", "aliases", "label", "case_sensitive")


@dataclass(frozen=True)
class WatchEntry:
    """One watched entity; ``names`` is the canonical name followed by its aliases."""

    watchlist: str
    canonical: str
    names: tuple[str, ...]
    label: str
    case_sensitive: bool
    location: SourceLocation

    @property
    def key(self) -> str:
        """A stable id for the entry: "companies/Rosneft"."""
        return f"{self.watchlist}/{self.canonical}"


@dataclass(frozen=True)
class Watchlist:
    name: str
    entries: tuple[WatchEntry, ...]
    source: str


def watchlist_sources(configured: Sequence[Path], rules_paths: Sequence[Path]) -> tuple[Path, ...]:
    """Where watch lists are read from: the configured files or folders, else each rules path's watchlists/."""
    return tuple(configured) or tuple(p / "watchlists" for p in rules_paths if (p / "watchlists").is_dir())


def watchlist_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named by ``paths``: files as given, folders' ``*.yaml``/``*.yml`` in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(path)
    return files


def load_watchlists(files: Sequence[Path]) -> tuple[Watchlist, ...]:
    """Every watch list in ``files``; raise ConfigError listing every problem in all of them."""
    problems: list[Problem] = []
    lists: list[Watchlist] = []
    for path in files:
        if not path.is_file():
            problems.append(Problem(SourceLocation(str(path)), "watch-list file not found"))
            continue
        for document in load_file(path):
            problems.extend(document.problems)
            if document.problems or document.data is None:
                continue
            watchlist = _parse_list(document, path, problems)
            if watchlist is not None:
                lists.append(watchlist)
    problems.extend(_duplicates(lists))
    if problems:
        raise ConfigError(problems, summary=f"{len(problems)} problem(s) in watch lists")
    return tuple(lists)


def _parse_list(document: LocatedDocument, path: Path, problems: list[Problem]) -> Watchlist | None:
    data = document.data
    if not isinstance(data, Mapping):
        problems.append(Problem(document.locate(()), "a watch list must be a mapping with 'entries'"))
        return None
    _unknown_keys(data, _LIST_KEYS, (), document, problems)
    name = _string(data.get("watchlist", path.stem), ("watchlist",), document, problems) or path.stem
    label = _label(data.get("label", "ORG"), ("label",), document, problems)
    case_sensitive = _flag(data.get("case_sensitive", False), ("case_sensitive",), document, problems)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append(Problem(document.locate(("entries",)), "'entries' must be a non-empty list"))
        return None
    entries = []
    for index, raw in enumerate(raw_entries):
        entry = _parse_entry(raw, ("entries", index), name, label, case_sensitive, document, problems)
        if entry is not None:
            entries.append(entry)
    return Watchlist(name, tuple(entries), document.file)


def _parse_entry(
    raw: Any,
    path: tuple[str | int, ...],
    watchlist: str,
    label: str,
    case_sensitive: bool,
    document: LocatedDocument,
    problems: list[Problem],
) -> WatchEntry | None:
    where = document.locate(path)
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, "an entry is a name or a mapping with 'name' and 'aliases'"))
        return None
    _unknown_keys(raw, _ENTRY_KEYS, path, document, problems)
    canonical = _string(raw.get("name"), (*path, "name"), document, problems)
    aliases = raw.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        problems.append(Problem(document.locate((*path, "aliases")), "'aliases' must be a list of names"))
        aliases = []
    names = [canonical] if canonical else []
    for index, alias in enumerate(aliases):
        text = _string(alias, (*path, "aliases", index), document, problems)
        if text and text not in names:
            names.append(text)
    entry_label = _label(raw.get("label", label), (*path, "label"), document, problems)
    sensitive = _flag(
        raw.get("case_sensitive", case_sensitive), (*path, "case_sensitive"), document, problems
    )
    if not canonical:
        return None
    return WatchEntry(watchlist, canonical, tuple(names), entry_label, sensitive, where)


def _unknown_keys(
    data: Mapping[Any, Any],
    known: Sequence[str],
    path: tuple[str | int, ...],
    document: LocatedDocument,
    problems: list[Problem],
) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            problems.append(Problem(document.locate((*path, str(key))), f"unknown key '{key}'", hint=hint))


def _string(
    value: Any, path: tuple[str | int, ...], document: LocatedDocument, problems: list[Problem]
) -> str:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    where = document.locate((*path, "__value__")) if path in document.locations else document.locate(path)
    problems.append(
        Problem(where, f"'{path[-1]}' must be a non-empty string" if value is not None else "missing 'name'")
    )
    return ""


def _label(
    value: Any, path: tuple[str | int, ...], document: LocatedDocument, problems: list[Problem]
) -> str:
    if value in WATCHLIST_LABELS:
        return str(value)
    problems.append(
        Problem(
            document.locate((*path, "__value__")),
            f"unknown entity label {value!r}",
            hint=f"one of {', '.join(WATCHLIST_LABELS)}",
        )
    )
    return "ORG"


def _flag(
    value: Any, path: tuple[str | int, ...], document: LocatedDocument, problems: list[Problem]
) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(Problem(document.locate((*path, "__value__")), f"'{path[-1]}' must be true or false"))
    return False


def _duplicates(lists: Sequence[Watchlist]) -> list[Problem]:
    """A name may resolve to one entry only; a list name may be used once."""
    problems = []
    seen_lists: dict[str, str] = {}
    for watchlist in lists:
        if watchlist.name in seen_lists:
            problems.append(
                Problem(
                    SourceLocation(watchlist.source),
                    f"watch list '{watchlist.name}' is defined twice",
                    hint=f"also in {seen_lists[watchlist.name]}",
                )
            )
        seen_lists.setdefault(watchlist.name, watchlist.source)
    seen_names: dict[str, WatchEntry] = {}
    for watchlist in lists:
        for entry in watchlist.entries:
            for name in entry.names:
                key = name.casefold()
                first = seen_names.get(key)
                if first is not None and first is not entry:
                    problems.append(
                        Problem(
                            entry.location,
                            f"'{name}' is listed for both '{first.key}' and '{entry.key}'",
                            hint=f"first at {first.location}",
                        )
                    )
                seen_names.setdefault(key, entry)
    return problems
