"""The one exception tree of newsmon, grouped by who must act.

    MonitorError                      anything newsmon reports on purpose
    ├── LocatedError                  a person must fix a file they wrote; carries every Problem at once
    │   ├── ConfigError               config/*.yaml, environment interpolation, channel URLs
    │   ├── RuleError                 rules/*.yaml (schema, regexes, conditions, examples)
    │   ├── TemplateError             alert templates
    │   └── LabelError                labeled articles for ``newsmon rules eval``
    ├── FetchError                    a feed could not be fetched (network, HTTP status, limits)
    │   └── FeedGoneError             HTTP 410: the publisher removed the feed for good
    ├── ParseError                    bytes were fetched but are not a feed we can read
    ├── StorageError                  the database refused or is unreachable / not migrated
    └── DeliveryError                 an alert channel refused or could not be reached

Third-party exceptions are translated into these at the module that owns the library, keeping the cause
(``raise ... from exc``), so nothing above ``fetching`` ever sees an ``httpx`` exception, for example.

Every one of them pickles and unpickles whole, whatever its ``__init__`` takes: they cross the parse
worker pool's process boundary, and an exception that cannot be rebuilt there breaks the whole pool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """Where in a human-written file something is: 1-based line and column, as editors count."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One located finding in a file a person wrote; ``severity`` is "error" or "warning"."""

    location: SourceLocation
    message: str
    hint: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.severity != "error":
            text = f"{text} [{self.severity}]"
        return text


class MonitorError(Exception):
    """Root of every error newsmon raises on purpose; the CLI prints it as one line and exits 2."""

    def __reduce__(self) -> tuple[object, ...]:
        # The default re-calls ``type(self)(*self.args)``: wrong for any ``__init__`` whose arguments are
        # not the one message it passes on (ParseError(url, reason) has args == (message,)).
        return _rebuild, (type(self), self.args, dict(vars(self)))


def _rebuild(cls: type[MonitorError], args: tuple[object, ...], state: dict[str, object]) -> MonitorError:
    """Unpickle a ``MonitorError`` without calling its ``__init__``: the same message and attributes."""
    error = cls.__new__(cls)
    error.args = args
    vars(error).update(state)
    return error


class LocatedError(MonitorError):
    """Errors in files people write: all problems at once, each with file:line:col."""

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.summary = summary
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.summary:
            lines.insert(0, self.summary)
        return "\n".join(lines) if lines else (self.summary or type(self).__name__)


class ConfigError(LocatedError):
    """A setting is missing, unknown, of the wrong type, or refers to something that does not exist."""


class RuleError(LocatedError):
    """A rule file does not follow the rule language (see docs/rules.md)."""


class TemplateError(LocatedError):
    """An alert template does not compile or refers to an unknown variable."""


class LabelError(LocatedError):
    """A labeled-article file for ``newsmon rules eval`` does not follow the format in docs/rules.md."""


class FetchError(MonitorError):
    """A feed could not be fetched; ``retry_after_s`` is the publisher's wish when it said one."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(f"{url}: {reason}")


class FeedGoneError(FetchError):
    """HTTP 410 Gone: the feed is deactivated and reported, never polled again until re-added."""


class ParseError(MonitorError):
    """The body is not a feed we can read (HTML page, truncated JSON, unknown format)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class StorageError(MonitorError):
    """The database is unreachable, not migrated, or refused a write."""


class DeliveryError(MonitorError):
    """An alert channel refused the notification or could not be reached."""
