"""YAML with line numbers: every value remembers where it was written.

PyYAML's composed node tree carries marks; we build plain Python values from it and keep a map from each
value's path (``("feeds", 3, "url")``) to its location, so a validation error deep inside a structure
can still say ``config/demo.yaml:14:7``. Duplicate keys are errors (PyYAML silently keeps the last one).

Aliases are shared in the composed tree and copied when values are built, so a few KB of nested aliases
("billion laughs") would become gigabytes: building stops, with a located error, once more than
``MAX_ALIAS_NODES`` values came from aliases (merged values count too), and files over ``MAX_YAML_BYTES``
are refused before parsing. Config, rules, watch lists and a SIGHUP reload all read YAML through here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from monitor.errors import Problem, SourceLocation

PathKey = tuple[str | int, ...]

MAX_YAML_BYTES = 8 * 1024 * 1024
"""Larger than any config, rule file or watch list a person writes; a bigger file is refused unread."""
MAX_ALIAS_NODES = 10_000
"""Values one document may copy through aliases and merge keys: far above sharing a few defaults."""


class _AliasBomb(Exception):
    def __init__(self, location: SourceLocation) -> None:
        self.location = location


@dataclass
class LocatedDocument:
    """Plain data from one YAML document plus the location of every mapping key and value."""

    file: str
    data: Any
    locations: dict[PathKey, SourceLocation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Sequence[str | int]) -> SourceLocation:
        """The location of ``path``, or of its nearest located ancestor."""
        key = tuple(path)
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key[:-1]
        return self.locations.get((), SourceLocation(self.file, 1, 1))


def _location(file: str, node: yaml.Node) -> SourceLocation:
    return SourceLocation(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.locations: dict[PathKey, SourceLocation] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._built: set[int] = set()  # ids of nodes built once: building one again copies an alias
        self._copied = 0
        self._where = SourceLocation(file, 1, 1)  # the key being built, for an alias-bomb error

    def build(self, node: yaml.Node, path: PathKey, copying: bool = False) -> Any:
        self.locations.setdefault(path, _location(self.file, node))
        copying = copying or id(node) in self._built
        self._built.add(id(node))
        if copying:
            self._copied += 1
            if self._copied > MAX_ALIAS_NODES:
                raise _AliasBomb(self._where)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, copying)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, index), copying) for index, child in enumerate(node.value)]
        return self._constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, copying: bool) -> dict[Any, Any]:
        self._constructor.flatten_mapping(node)  # resolve YAML merge keys (<<)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                self.problems.append(
                    Problem(_location(self.file, key_node), "a mapping key must be a scalar")
                )
                continue
            if key in result:
                self.problems.append(
                    Problem(
                        _location(self.file, key_node),
                        f"duplicate key '{key}'",
                        hint=f"first written at line {self.locations[(*path, str(key))].line}",
                    )
                )
                continue
            child_path = (*path, str(key))
            self.locations[child_path] = _location(self.file, key_node)
            self._where = _location(self.file, key_node)
            result[key] = self.build(value_node, child_path, copying)
            # keep the key's own position for "unknown key" errors, the value's for type errors
            self.locations[(*child_path, "__value__")] = _location(self.file, value_node)
        return result


_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it: the same nodes and line:column marks, ~14x faster on the
bundled rules (a full-mode start composes every rule and watch-list file)."""


def _compose(text: str) -> list[yaml.Node]:
    try:
        return list(yaml.compose_all(text, Loader=_COMPOSER))
    except yaml.YAMLError:  # PyYAML's own parser says what is wrong in words a reader can act on
        return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def load_documents(text: str, file: str) -> list[LocatedDocument]:
    """Every YAML document in ``text``; a syntax error becomes a single located problem."""
    if len(text) > MAX_YAML_BYTES:
        return [_refused(file, f"document is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB")]
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = SourceLocation(file, mark.line + 1, mark.column + 1) if mark else SourceLocation(file)
        doc = LocatedDocument(file, None)
        doc.problems.append(Problem(where, f"YAML syntax error: {exc.problem or exc}"))
        return [doc]
    except yaml.YAMLError as exc:
        doc = LocatedDocument(file, None)
        doc.problems.append(Problem(SourceLocation(file), f"YAML error: {exc}"))
        return [doc]
    documents = []
    for node in nodes:
        if node is None:
            continue
        builder = _Builder(file)
        try:
            data = builder.build(node, ())
        except _AliasBomb as exc:
            builder.problems.append(
                Problem(
                    exc.location,
                    f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values",
                    hint="this looks like an alias bomb; write the values out, or share fewer of them",
                )
            )
            data = None
        except yaml.YAMLError as exc:  # e.g. a bad tag inside a value
            builder.problems.append(Problem(_location(file, node), f"YAML error: {exc}"))
            data = None
        documents.append(LocatedDocument(file, data, builder.locations, builder.problems))
    return documents


def load_file(path: Path, display: str | None = None) -> list[LocatedDocument]:
    """Read and compose a YAML file; an unreadable file is one located problem, not an exception."""
    name = display or str(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            return [_refused(name, f"file is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB")]
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [_refused(name, f"cannot read file: {exc}")]
    return load_documents(text, name)


def _refused(name: str, message: str) -> LocatedDocument:
    doc = LocatedDocument(name, None)
    doc.problems.append(Problem(SourceLocation(name), message))
    return doc


def validation_problems(
    error: ValidationError,
    document: LocatedDocument,
    base_path: Sequence[str | int] = (),
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """Turn pydantic's errors into located problems, with a did-you-mean hint for unknown keys."""
    problems = []
    for detail in error.errors():
        kind = detail["type"]
        loc = _written_loc(detail["loc"], document, tuple(base_path), kind)
        path = (*base_path, *loc)
        if kind == "extra_forbidden":
            where = document.locate(path)
            name = str(loc[-1]) if loc else "?"
            hint = _did_you_mean(name, _known_keys(model, loc[:-1]))
            problems.append(Problem(where, f"unknown key '{name}'", hint=hint))
            continue
        where = document.locate((*path, "__value__")) if path in document.locations else document.locate(path)
        field_name = ".".join(str(p) for p in loc) or "document"
        message = detail["msg"]
        if kind == "missing":
            problems.append(Problem(where, f"missing required key '{loc[-1]}'"))
        else:
            problems.append(Problem(where, f"{field_name}: {message}"))
    return problems


def _written_loc(
    loc: Sequence[str | int], document: LocatedDocument, base: PathKey, kind: str
) -> tuple[str | int, ...]:
    """The parts of pydantic's ``loc`` that a person wrote, without the union-member tags it inserts.

    pydantic puts a union member's name into ``loc`` ('str', 'list[str]', 'FeedSettings',
    'function-after[...]'); those are not keys in the file. A part the document has at that path is always
    kept (so a user's key 'Reuters' survives); a part it lacks is dropped when it looks like such a tag.
    """
    kept: list[str | int] = []
    for index, part in enumerate(loc):
        written = (*base, *kept, part if isinstance(part, int) else str(part))
        is_missing_key = kind == "missing" and index == len(loc) - 1
        if written in document.locations or is_missing_key or not _is_union_tag(part):
            kept.append(part)
    return tuple(kept)


def _is_union_tag(part: str | int) -> bool:
    if not isinstance(part, str):
        return False
    return part[:1].isupper() or not part.isidentifier() or part in _TYPE_TAGS


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "bytes", "list", "tuple", "dict", "set", "none"})


def _known_keys(model: type[BaseModel] | None, loc: Iterable[str | int]) -> list[str]:
    """Field names (and aliases) at ``loc`` inside ``model``, for the did-you-mean hint.

    Walks the annotations alongside ``loc``: a field name moves into the field's type, a list index or a
    dict key moves into the item type, so keys inside ``list[Model]`` and ``dict[str, Model]`` get hints too.
    """
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    found = _as_model(current)
    if found is None:
        return []
    return [info.alias or name for name, info in found.model_fields.items()]


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one step below ``annotation`` along ``part`` (a field name, list index or dict key)."""
    model = _as_model(annotation)
    if model is not None:
        if not isinstance(part, str):
            return None
        fields = model.model_fields
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        return info.annotation if info is not None else None
    return _container_item(annotation)


def _as_model(annotation: Any) -> type[BaseModel] | None:
    """``annotation`` itself as a model class, looking through Optional/unions and Annotated only."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if getattr(annotation, "__origin__", None) in (list, tuple, set, frozenset, dict):
        return None
    for arg in getattr(annotation, "__args__", ()):
        found = _as_model(arg)
        if found is not None:
            return found
    return None


def _container_item(annotation: Any) -> Any:
    """The item type of a list/tuple/set/dict annotation (looking through Optional and Annotated)."""
    origin = getattr(annotation, "__origin__", None)
    args = [
        arg for arg in getattr(annotation, "__args__", ()) if arg is not Ellipsis and arg is not type(None)
    ]
    if origin in (list, tuple, set, frozenset) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    for arg in args:  # unions and Annotated
        item = _container_item(arg)
        if item is not None:
            return item
    return None


def _did_you_mean(name: str, known: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def mapping_or_problem(document: LocatedDocument, what: str) -> Mapping[str, Any] | None:
    """The document's top-level mapping, or None after recording a located problem."""
    if isinstance(document.data, Mapping):
        return document.data
    document.problems.append(
        Problem(
            document.locate(()),
            f"{what} must be a YAML mapping (key: value), not {type(document.data).__name__}",
        )
    )
    return None
