"""Located problems for one rule: paths relative to the rule, turned into file:line:col.

A rule can sit at the top of a document or inside a list (``base`` is then ``(3,)``), so every check
speaks in paths relative to the rule and lets this class find where that path was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from monitor.errors import Problem, SourceLocation
from monitor.settings.yaml_source import LocatedDocument, PathKey


@dataclass
class Reporter:
    document: LocatedDocument
    base: PathKey = ()
    problems: list[Problem] = field(default_factory=list)

    def key_at(self, path: Sequence[str | int]) -> SourceLocation:
        """Where the key (or list item) at ``path`` was written: for "unknown key", "unused selection"."""
        return self.document.locate((*self.base, *path))

    def value_at(self, path: Sequence[str | int]) -> SourceLocation:
        """Where the value at ``path`` was written, or the nearest enclosing value that was."""
        full = (*self.base, *path)
        for cut in range(len(full), -1, -1):
            prefix = full[:cut]
            if (*prefix, "__value__") in self.document.locations:
                return self.document.locations[(*prefix, "__value__")]
            if prefix in self.document.locations:
                return self.document.locations[prefix]
        return self.document.locate(())

    def error(self, location: SourceLocation, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(location, message, hint))

    def warning(self, location: SourceLocation, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(location, message, hint, severity="warning"))

    def extend(self, problems: Sequence[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def failed(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)
