"""Alert templates: shipped as files in ``templates/``, overridable by folder, compiled once, sandboxed.

Templates are text a person edits, so their errors are ``TemplateError``s located at file:line like any
config error. Loading compiles every template and renders a sample alert and a sample digest with it, so
syntax errors, unknown filters and unknown variables (``StrictUndefined``) are found at start-up, not at
the first real alert. The sandbox keeps a template from reaching Python internals, and
``template_limits`` bounds what one render may cost (output size, loop items, repetition, powers).

Each body exists in three formats: plain text, Markdown (every printed value escaped unless it is
``MarkdownSafe``) and HTML (autoescaped: a feed title carrying ``<script>`` is shown, never run). Override
folders are searched first, file by file, then the shipped folder: a folder holding only ``alert.html.j2``
changes the HTML mail and nothing else.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from monitor.alerting.context import SAMPLE_CONTENT, AlertContent, alert_context, sample_digest
from monitor.alerting.escaping import clip, escape_markdown, http_url, markdown_link, one_line
from monitor.alerting.template_limits import LimitedEnvironment, render_bounded
from monitor.domain import Article, Match
from monitor.errors import Problem, SourceLocation, TemplateError

TEMPLATE_DIR = Path(__file__).with_name("templates")
FORMATS = ("text", "markdown", "html")
TITLE_TEMPLATE = "title.txt.j2"
BODY_TEMPLATES: Mapping[str, str] = {
    "text": "alert.txt.j2",
    "markdown": "alert.md.j2",
    "html": "alert.html.j2",
}
DIGEST_TITLE_TEMPLATE = "digest_title.txt.j2"
DIGEST_TEMPLATES: Mapping[str, str] = {
    "text": "digest.txt.j2",
    "markdown": "digest.md.j2",
    "html": "digest.html.j2",
}
ALL_TEMPLATES = (TITLE_TEMPLATE, *BODY_TEMPLATES.values(), DIGEST_TITLE_TEMPLATE, *DIGEST_TEMPLATES.values())
MAX_TITLE_CHARS = 150  # a mail subject / push title; longer ones are cut by the clients anyway


@dataclass(frozen=True)
class Templates:
    """The compiled templates of one search path (override folders, then the shipped ones)."""

    compiled: Mapping[str, jinja2.Template]

    @classmethod
    def load(cls, directory: Path = TEMPLATE_DIR, overrides: Sequence[Path] = ()) -> Templates:
        """Compile and sample-render every template; raise a TemplateError listing every problem."""
        compiled, problems = _compile([*overrides, directory])
        for name, template in compiled.items():
            problems.extend(_sample_problems(name, template))
        if problems:
            where = ", ".join(str(path) for path in [*overrides, directory])
            raise TemplateError(problems, summary=f"alert templates in {where} have errors")
        return cls(compiled)

    def render(self, match: Match, article: Article, fmt: str) -> tuple[str, str]:
        """(title, body) of one alert about ``match`` on ``article`` alone; ``fmt`` as in ``FORMATS``."""
        return self.render_alert(AlertContent(match, article), fmt)

    def render_alert(self, content: AlertContent, fmt: str) -> tuple[str, str]:
        """(title, body) of one alert or update, with its story's sources."""
        return self.render_alert_context(alert_context(content), fmt)

    def render_alert_context(self, context: Mapping[str, Any], fmt: str) -> tuple[str, str]:
        """(title, body) of one alert from its template variables (as stored with a held alert)."""
        return self._render(TITLE_TEMPLATE, BODY_TEMPLATES, context, fmt)

    def render_digest(self, context: Mapping[str, Any], fmt: str) -> tuple[str, str]:
        """(title, body) of a digest; ``context`` from ``context.digest_context``."""
        return self._render(DIGEST_TITLE_TEMPLATE, DIGEST_TEMPLATES, context, fmt)

    def _render(
        self, title_name: str, bodies: Mapping[str, str], context: Mapping[str, Any], fmt: str
    ) -> tuple[str, str]:
        if fmt not in bodies:
            raise ValueError(f"unknown alert format {fmt!r}; expected one of {sorted(bodies)}")
        title = clip(one_line(_render(self.compiled[title_name], context)), MAX_TITLE_CHARS)
        return title, _tidy(_render(self.compiled[bodies[fmt]], context))


def check_templates(directory: Path = TEMPLATE_DIR, overrides: Sequence[Path] = ()) -> list[Problem]:
    """Every problem of the templates (empty when they are fine), for start-up checks."""
    try:
        Templates.load(directory, overrides)
    except TemplateError as exc:
        return list(exc.problems)
    return []


def render(match: Match, article: Article, fmt: str) -> tuple[str, str]:
    """(title, body) of one alert with the shipped templates (compiled on first use, then reused)."""
    return templates_for(()).render(match, article, fmt)


@functools.lru_cache(maxsize=128)
def templates_for(overrides: tuple[Path, ...]) -> Templates:
    """The templates with these override folders in front of the shipped ones, loaded once per process.

    Checked at start-up (``validate_subscribers``), so a TemplateError here means a file changed since.
    """
    return Templates.load(TEMPLATE_DIR, overrides)


def _environment(
    search: Sequence[Path], finalize: Callable[[Any], Any] | None, autoescape: bool
) -> LimitedEnvironment:
    env = LimitedEnvironment(
        loader=jinja2.FileSystemLoader([str(path) for path in search]),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters["clip"] = clip
    env.filters["md_link"] = markdown_link
    env.filters["http_url"] = http_url
    return env


def _compile(search: Sequence[Path]) -> tuple[dict[str, jinja2.Template], list[Problem]]:
    environments = {
        "text": _environment(search, finalize=None, autoescape=False),
        "markdown": _environment(search, finalize=escape_markdown, autoescape=False),
        "html": _environment(search, finalize=None, autoescape=True),
    }
    compiled: dict[str, jinja2.Template] = {}
    problems: list[Problem] = []
    for name in ALL_TEMPLATES:
        env = environments[_format_of(name)]
        try:
            compiled[name] = env.get_template(name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(SourceLocation(str(search[-1] / name)), "template file is missing"))
        except jinja2.TemplateSyntaxError as exc:
            location = SourceLocation(exc.filename or str(search[-1] / name), exc.lineno)
            problems.append(Problem(location, exc.message or "syntax error"))
    return compiled, problems


def _format_of(name: str) -> str:
    if name.endswith(".md.j2"):
        return "markdown"
    return "html" if name.endswith(".html.j2") else "text"


def _sample_problems(name: str, template: jinja2.Template) -> list[Problem]:
    sample = sample_digest() if name.startswith("digest") else alert_context(SAMPLE_CONTENT)
    try:
        _render(template, sample)
    except TemplateError as exc:
        return list(exc.problems)
    return []


def _render(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """Render, turning Jinja's runtime errors into a TemplateError at the template's file:line."""
    try:
        return render_bounded(template, context)
    except jinja2.TemplateError as exc:
        location = _runtime_location(template, exc)
        raise TemplateError([Problem(location, exc.message or type(exc).__name__)]) from exc


def _runtime_location(template: jinja2.Template, exc: BaseException) -> SourceLocation:
    """Jinja rewrites tracebacks so a template's own frame carries its file name and line."""
    filename = template.filename or template.name or "<template>"
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == filename]
    return SourceLocation(filename, lines[-1] if lines else None)


def _tidy(body: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank start or end."""
    lines = [line.rstrip() for line in body.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy)
