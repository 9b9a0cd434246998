"""Finding rule files and loading them, collecting every problem in every file before giving up.

A rule file holds one rule (a mapping), a list of rules, or several YAML documents of either. Files are
found recursively (``*.yaml``, ``*.yml``, sorted, so the rule order is stable) under each given path;
a ``watchlists/`` folder is skipped because it holds watch lists, not rules, an ``eval/`` folder because it
holds labeled articles (``newsmon rules eval``), and so are hidden entries.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from monitor.errors import Problem, RuleError, SourceLocation
from monitor.rules import lint
from monitor.rules.compiled import Rule
from monitor.rules.compiler import compile_rule
from monitor.rules.examples import Enricher, run_examples
from monitor.rules.reporter import Reporter
from monitor.rules.ruleset import RuleSet
from monitor.settings.yaml_source import LocatedDocument, load_file

RULE_SUFFIXES = (".yaml", ".yml")
SKIPPED_FOLDERS = frozenset({"watchlists", "eval"})


def load_rules(paths: Sequence[Path], vocabulary: lint.Vocabulary | None = None) -> RuleSet:
    """Load and compile every rule under ``paths``; raises ``RuleError`` listing every error at once.

    Warnings (unused selections, regexes that match empty text, rules without examples) do not stop
    loading; they are on ``RuleSet.warnings``. Examples are not run here: that is ``check_rules``.
    With a ``vocabulary``, watch lists and units the rules name must exist in it.
    """
    rules, problems = _load(paths, vocabulary)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        raise RuleError(errors, summary=f"rules: {count}")
    return RuleSet(tuple(rules), tuple(problems))


def check_rules(
    paths: Sequence[Path], enrich: Enricher | None = None, vocabulary: lint.Vocabulary | None = None
) -> list[Problem]:
    """Every error and warning in the rules under ``paths``; a failing example is a warning.

    Never raises for what the files say: this is ``newsmon rules check``. Examples run for every rule that
    compiled, even when other rules have errors, so one broken file does not hide another's failures.
    ``enrich`` lets rules that read entities or quantities run their examples too (otherwise skipped).
    """
    rules, problems = _load(paths, vocabulary)
    results = run_examples(RuleSet(tuple(rules)), enrich)
    return _in_file_order(problems + [result.to_problem() for result in results if not result.ok])


_COMPILED: dict[tuple[object, ...], tuple[list[Rule], list[Problem]]] = {}
_COMPILED_KEPT = 8


def _load(paths: Sequence[Path], vocabulary: lint.Vocabulary | None) -> tuple[list[Rule], list[Problem]]:
    """The compiled rules of ``paths``, compiled once per process for the same file contents: the daemon's
    start-up checks, its pipeline context and a reload all ask (compiling the bundled rules costs ~0.7 s of
    CPU each time); an edited file has other contents, so it is compiled afresh."""
    files, found = find_rule_files(paths)
    key = (
        tuple((str(file), _digest(file)) for file in files),
        tuple(str(path) for path in paths),
        None if vocabulary is None else (vocabulary.watchlists, vocabulary.units, vocabulary.read_unit),
    )
    if key not in _COMPILED:
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        _COMPILED[key] = _compile(files, found, vocabulary)
    rules, problems = _COMPILED[key]
    return list(rules), list(problems)


def _digest(file: Path) -> str:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError as exc:  # unreadable: never cached as a success (load_file reports it)
        return f"unreadable {exc} {id(exc)}"


def _compile(
    files: list[Path], problems: list[Problem], vocabulary: lint.Vocabulary | None
) -> tuple[list[Rule], list[Problem]]:
    rules: list[Rule] = []
    first_seen: dict[str, SourceLocation] = {}
    for file in files:
        for document in load_file(file):
            problems.extend(document.problems)
            for reporter, raw in _rule_mappings(document, problems):
                unique = _unique(raw.get("id"), reporter, first_seen)
                rule = compile_rule(raw, reporter)
                lint.check_group_names(raw, reporter)
                if vocabulary is not None:
                    lint.check_names(raw, reporter, vocabulary)
                problems.extend(reporter.problems)
                if rule is not None and unique and not reporter.failed:
                    rules.append(rule)
    return rules, _in_file_order(problems)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems grouped by file (in the order files were read), then by line and column."""
    files = {problem.location.file: index for index, problem in reversed(list(enumerate(problems)))}
    return sorted(
        problems, key=lambda p: (files[p.location.file], p.location.line or 0, p.location.column or 0)
    )


def find_rule_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Rule files under ``paths`` in a stable order, and a problem for each path that does not exist."""
    files: list[Path] = []
    problems: list[Problem] = []
    for given in map(Path, paths):
        if given.is_file():
            files.append(given)
        elif given.is_dir():
            found = sorted(_walk(given, problems))
            if not found:
                where = SourceLocation(str(given))
                problems.append(Problem(where, "no rule files (*.yaml, *.yml) here", severity="warning"))
            files.extend(found)
        elif given.exists():  # a FIFO or a device: reading it would block forever
            problems.append(Problem(SourceLocation(str(given)), "not a regular file"))
        else:
            problems.append(Problem(SourceLocation(str(given)), "no such file or directory"))
    return list(dict.fromkeys(files)), problems


def _walk(folder: Path, problems: list[Problem]) -> Iterator[Path]:
    """Rule files below ``folder``; symlinked sub-folders are not followed (no loops, no surprises)."""

    def unreadable(exc: OSError) -> None:
        problems.append(
            Problem(SourceLocation(str(exc.filename or folder)), f"cannot read folder: {exc.strerror}")
        )

    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        for name in names:
            if not name.startswith(".") and name.endswith(RULE_SUFFIXES):
                path = Path(root) / name
                if path.is_file():
                    yield path
                else:  # a FIFO or a device named like a rule file: reading it would block forever
                    problems.append(Problem(SourceLocation(str(path)), "not a regular file"))


def _rule_mappings(
    document: LocatedDocument, problems: list[Problem]
) -> Iterator[tuple[Reporter, dict[str, object]]]:
    """Each rule in a document: the document itself when a mapping, or each item when a list."""
    data = document.data
    if data is None:
        return
    items = list(enumerate(data)) if isinstance(data, list) else [(None, data)]
    for index, item in items:
        base = () if index is None else (index,)
        if not isinstance(item, dict):
            where = document.locate(base)
            problems.append(Problem(where, f"a rule must be a mapping (key: value), not {_kind(item)}"))
            continue
        yield Reporter(document, base), item


def _kind(value: object) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _unique(rule_id: object, reporter: Reporter, first_seen: dict[str, SourceLocation]) -> bool:
    """Record the id's first location; a later rule with the same id is an error naming both places."""
    if not isinstance(rule_id, str):
        return True  # a missing or mistyped id is the schema's to report
    where = reporter.value_at(("id",))
    if rule_id in first_seen:
        reporter.error(where, f"duplicate rule id '{rule_id}'", hint=f"also defined at {first_seen[rule_id]}")
        return False
    first_seen[rule_id] = where
    return True
