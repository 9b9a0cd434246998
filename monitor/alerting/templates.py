"""Alert templates: shipped as files in ``templates/``, compiled once, sandboxed, strict about variables.

Templates are text a person edits, so their errors are ``TemplateError``s located at file:line like any
config error. Compiling catches syntax errors and unknown filters; rendering a sample match at start-up
(``check_templates``) catches unknown variables, which ``StrictUndefined`` turns into errors instead of
silently empty text. The sandbox keeps a template from reaching Python internals.

The Markdown environment escapes every printed value (``finalize``) unless it is ``MarkdownSafe``, so a
template cannot forget to escape feed text; the plain-text environment prints values as they are.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from monitor.alerting.context import SAMPLE_ARTICLE, SAMPLE_MATCH, alert_context
from monitor.alerting.escaping import clip, escape_markdown, markdown_link, one_line
from monitor.domain import Article, Match
from monitor.errors import Problem, SourceLocation, TemplateError

TEMPLATE_DIR = Path(__file__).with_name("templates")
TITLE_TEMPLATE = "title.txt.j2"
BODY_TEMPLATES: Mapping[str, str] = {"text": "alert.txt.j2", "markdown": "alert.md.j2"}
MAX_TITLE_CHARS = 150  # a mail subject / push title; longer ones are cut by the clients anyway


@dataclass(frozen=True)
class Templates:
    """The compiled title template and one body template per subscriber format."""

    title: jinja2.Template
    bodies: Mapping[str, jinja2.Template]

    @classmethod
    def load(cls, directory: Path = TEMPLATE_DIR) -> Templates:
        """Compile and sample-render every template; raise a TemplateError listing every problem."""
        compiled, problems = _compile(directory)
        for template in compiled.values():
            problems.extend(_sample_problems(template))
        if problems:
            raise TemplateError(problems, summary=f"alert templates in {directory} have errors")
        bodies = {fmt: compiled[name] for fmt, name in BODY_TEMPLATES.items()}
        return cls(title=compiled[TITLE_TEMPLATE], bodies=bodies)

    def render(self, match: Match, article: Article, fmt: str) -> tuple[str, str]:
        """(title, body) of one alert; ``fmt`` is a subscriber format, "text" or "markdown"."""
        body_template = self.bodies.get(fmt)
        if body_template is None:
            raise ValueError(f"unknown alert format {fmt!r}; expected one of {sorted(self.bodies)}")
        context = alert_context(match, article)
        title = clip(one_line(_render(self.title, context)), MAX_TITLE_CHARS)
        return title, _tidy(_render(body_template, context))


def check_templates(directory: Path = TEMPLATE_DIR) -> list[Problem]:
    """Every problem of the templates in ``directory`` (empty when they are fine), for start-up checks."""
    try:
        Templates.load(directory)
    except TemplateError as exc:
        return list(exc.problems)
    return []


def render(match: Match, article: Article, fmt: str) -> tuple[str, str]:
    """(title, body) of one alert with the shipped templates (compiled on first use, then reused)."""
    return _shipped().render(match, article, fmt)


@functools.cache
def _shipped() -> Templates:
    return Templates.load(TEMPLATE_DIR)


def _environment(directory: Path, finalize: Callable[[Any], Any] | None) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters["clip"] = clip
    env.filters["md_link"] = markdown_link
    return env


def _compile(directory: Path) -> tuple[dict[str, jinja2.Template], list[Problem]]:
    plain = _environment(directory, finalize=None)
    markdown = _environment(directory, finalize=escape_markdown)
    wanted = [
        (TITLE_TEMPLATE, plain),
        (BODY_TEMPLATES["text"], plain),
        (BODY_TEMPLATES["markdown"], markdown),
    ]
    compiled: dict[str, jinja2.Template] = {}
    problems: list[Problem] = []
    for name, env in wanted:
        try:
            compiled[name] = env.get_template(name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(SourceLocation(str(directory / name)), "template file is missing"))
        except jinja2.TemplateSyntaxError as exc:
            location = SourceLocation(exc.filename or str(directory / name), exc.lineno)
            problems.append(Problem(location, exc.message or "syntax error"))
    return compiled, problems


def _sample_problems(template: jinja2.Template) -> list[Problem]:
    try:
        _render(template, alert_context(SAMPLE_MATCH, SAMPLE_ARTICLE))
    except TemplateError as exc:
        return list(exc.problems)
    return []


def _render(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """Render, turning Jinja's runtime errors into a TemplateError at the template's file:line."""
    try:
        return template.render(context)
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
