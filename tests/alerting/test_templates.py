"""Templates: what an alert says, how Markdown keeps feed text inert, and errors located at file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monitor.alerting import Templates, check_templates, render
from monitor.alerting.escaping import escape_markdown, markdown_link
from monitor.alerting.templates import TEMPLATE_DIR
from monitor.domain import Span
from monitor.errors import TemplateError

from .builders import article, match


def test_the_shipped_templates_pass_the_start_up_check() -> None:
    assert check_templates() == []


def test_the_title_says_severity_rule_key_and_article() -> None:
    title, _ = render(match(), article(), "text")
    assert (
        title
        == "[HIGH] New sanctions announced · Acme Oil: Treasury designates four subsidiaries of Acme Oil"
    )


def test_a_plain_text_alert_says_what_a_reader_needs() -> None:
    _, body = render(match(), article(), "text")
    assert body.splitlines()[:5] == [
        "New sanctions announced (high)",
        "About: Acme Oil",
        "Treasury designates four subsidiaries of Acme Oil",
        "https://wire.example.com/news/acme-oil",
        "Energy Wire · 2025-03-01 09:30 UTC",
    ]
    for expected in (
        'summary: "Treasury designated"',
        "target = Acme Oil",
        "- action: 'designate' in summary",
        "- target: ORG 'Acme Oil' in the same sentence",
    ):
        assert expected in body


def test_a_markdown_alert_links_the_title() -> None:
    _, body = render(match(), article(), "markdown")
    assert body.splitlines()[:4] == [
        "**New sanctions announced** · high",
        "About: Acme Oil",
        "[Treasury designates four subsidiaries of Acme Oil](https://wire.example.com/news/acme-oil)",
        "_Energy Wire_ · 2025-03-01 09:30 UTC",
    ]
    assert "- summary: “Treasury designated”" in body


def test_an_article_without_a_link_or_a_date_of_its_own_says_so() -> None:
    _, body = render(match(), article(link=None, date_is_fallback=True), "text")
    assert "(no link)" in body
    assert "2025-03-01 09:30 UTC (first seen; the feed gave no date)" in body


def test_feed_markup_in_a_markdown_alert_is_escaped() -> None:
    hostile = "*Breaking* _news_ [x](y) <b>now</b> `code`"
    title, body = render(match(), article(title=hostile, feed_name="A_B *Wire*", link=None), "markdown")
    assert r"\*Breaking\* \_news\_ \[x\]\(y\) \<b\>now\</b\> \`code\`" in body
    assert r"_A\_B \*Wire\*_" in body
    assert title.endswith(hostile)  # titles are plain text everywhere: nothing to escape


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("*bold* and _it_", r"\*bold\* and \_it\_"),
        ("[x](y)", r"\[x\]\(y\)"),
        ("![img](javascript:alert(1))", r"\!\[img\]\(javascript:alert\(1\)\)"),
        ("<script>", r"\<script\>"),
        ("a\\b", "a\\\\b"),
        ("~~gone~~ | `x`", r"\~\~gone\~\~ \| \`x\`"),
        ("- not a list", r"\- not a list"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("=== not a heading", r"\=== not a heading"),
        ("2025-03-01 is a date, 3.5% a number", "2025-03-01 is a date, 3.5% a number"),
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a_(b) c", "[t\\*](https://example.com/a_%28b%29%20c)"),
        ("javascript:alert(1)", "t\\*"),
        (None, "t\\*"),
    ],
)
def test_only_http_links_become_markdown_links(url: str | None, expected: str) -> None:
    assert markdown_link("t*", url) == expected


def test_an_alert_stays_short_enough_for_a_phone() -> None:
    noisy = match(
        rule_title="R",
        spans=tuple(Span("content", i, i + 1, f"phrase {i} " + "x" * 500) for i in range(20)),
        explanation=tuple("because " + "y" * 500 for _ in range(20)),
        captures={f"c{i}": ["z" * 300] for i in range(20)},
    )
    title, body = render(noisy, article(title="T" * 1000), "markdown")
    assert len(title) <= 150 and title.endswith("…")
    assert len(body) < 3000
    assert body.count("phrase ") == 5


def test_the_same_text_matched_twice_is_shown_once() -> None:
    twice = match(spans=(Span("title", 0, 8, "Treasury"), Span("title", 30, 38, "Treasury")))
    _, body = render(twice, article(), "text")
    assert body.count('"Treasury"') == 1


def _copy_templates(tmp_path: Path) -> Path:
    directory = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, directory)
    return directory


def test_an_unknown_variable_is_located_at_its_line(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    body = directory / "alert.txt.j2"
    lines = body.read_text().splitlines()
    lines.append("Score: {{ article.score }}")
    body.write_text("\n".join(lines) + "\n")

    [problem] = check_templates(directory)

    assert (problem.location.file, problem.location.line) == (str(body), len(lines))
    assert "score" in problem.message


def test_a_syntax_error_is_located_at_its_line(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "alert.md.j2").write_text("**{{ rule.title }}**\n{% for m in matched %}\n- {{ m.text }}\n")

    with pytest.raises(TemplateError) as raised:
        Templates.load(directory)

    [problem] = raised.value.problems
    assert str(problem.location) == f"{directory / 'alert.md.j2'}:3"
    assert "endfor" in problem.message
    assert f"{directory / 'alert.md.j2'}:3: " in str(raised.value)


def test_every_broken_template_is_reported_at_once(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "title.txt.j2").write_text("{{ rule.nope }}\n")
    (directory / "alert.txt.j2").unlink()

    problems = check_templates(directory)

    assert sorted((Path(p.location.file).name, p.location.line) for p in problems) == [
        ("alert.txt.j2", None),
        ("title.txt.j2", 1),
    ]
    assert {p.message for p in problems} >= {"template file is missing"}


def test_the_sandbox_keeps_templates_away_from_python_internals(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "title.txt.j2").write_text("{{ rule.title.__class__.__mro__ }}\n")

    [problem] = check_templates(directory)

    assert problem.location.line == 1
    assert "__class__" in problem.message


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="markdown"):
        render(match(), article(), "rtf")


@pytest.mark.parametrize(
    ("bomb", "message", "line"),
    [
        ('{{ "=" * 10**9 }}', "repeating a sequence", 3),
        ("{{ 9 ** 999999 }}", "a power larger than", 3),
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "range() would run",
            3,
        ),
        ("{% for a in range(10**6) %}{% endfor %}", "range() would run", 3),
        # the output grows over many lines of the template: the file is known, the line is not
        ('{% for a in range(5000) %}{{ "y" * 1000 }}{% endfor %}', "output is longer than", None),
    ],
)
def test_a_template_bomb_is_a_located_error(
    tmp_path: Path, bomb: str, message: str, line: int | None
) -> None:
    directory = _copy_templates(tmp_path)
    body = directory / "alert.txt.j2"
    body.write_text("{{ rule.title }}\n\n" + bomb + "\n")

    [problem] = check_templates(directory)

    assert (problem.location.file, problem.location.line) == (str(body), line)
    assert message in problem.message
