"""HTML bodies escape feed text, updates and story sources read well, overrides go by folder, digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.alerting import (
    AlertContent,
    StorySource,
    Templates,
    alert_context,
    check_templates,
    digest_context,
    templates_for,
)
from monitor.alerting.templates import TEMPLATE_DIR

from .builders import NOW, article, match

HOSTILE = 'Acme <script>alert("x")</script> <img src=x onerror=y>'


def content(**changes: object) -> AlertContent:
    values: dict[str, object] = {"match": match(), "article": article()}
    values.update(changes)
    return AlertContent(**values)  # type: ignore[arg-type]


def test_html_escapes_everything_from_feeds_and_links_only_http() -> None:
    hostile = article(title=HOSTILE, feed_name="<i>Wire</i>", link="javascript:alert(1)")
    _, body = templates_for(()).render_alert(content(article=hostile, match=match(key="<b>K</b>")), "html")
    assert "<script>" not in body and "<img" not in body and "<i>Wire</i>" not in body
    assert "Acme &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &lt;img src=x onerror=y&gt;" in body
    assert "&lt;b&gt;K&lt;/b&gt;" in body
    assert "javascript:" not in body


def test_an_update_says_so_and_what_changed_since_the_last_alert() -> None:
    captures = {"state": "postponed", "from": "planned", "to": "postponed"}
    update = content(match=match(captures=captures), kind="update", previous={"state": "cancelled"})
    title, body = templates_for(()).render_alert(update, "text")
    assert title.startswith("[HIGH] Update: New sanctions announced · Acme Oil · planned → postponed")
    assert "What: planned → postponed" in body
    assert "Changed: cancelled → postponed" in body  # the subscriber last heard "cancelled"


def test_the_story_sources_are_listed_with_links_and_times() -> None:
    first = StorySource(40, "Leaders cancel the summit", "https://a.example/1", "Wire A", NOW)
    this = StorySource(
        42, "Treasury designates", "https://wire.example.com/news/acme-oil", "Energy Wire", NOW
    )
    body = templates_for(()).render_alert(content(sources=(first,), more_sources=2), "text")[1]
    assert "Sources (3):" in body
    assert "  - 2025-03-01 12:00 UTC · Wire A: Leaders cancel the summit <https://a.example/1>" in body
    assert "… and 2 earlier" in body
    html = templates_for(()).render_alert(content(sources=(first, this)), "html")[1]
    assert '<a href="https://a.example/1">Leaders cancel the summit</a>' in html


def test_override_folders_win_file_by_file(tmp_path: Path) -> None:
    everyone, for_rule = tmp_path / "everyone", tmp_path / "everyone" / "sanctions-new"
    for_rule.mkdir(parents=True)
    (everyone / "title.txt.j2").write_text("ALL: {{ rule.title }}\n")
    (for_rule / "alert.txt.j2").write_text("Sanctions on {{ key }}: {{ article.link }}\n")

    title, body = Templates.load(TEMPLATE_DIR, (for_rule, everyone)).render_alert(content(), "text")

    assert title == "ALL: New sanctions announced"
    assert body == "Sanctions on Acme Oil: https://wire.example.com/news/acme-oil"
    assert (
        Templates.load(TEMPLATE_DIR, (everyone,))
        .render_alert(content(), "text")[1]
        .startswith("New sanctions announced (high)")
    )  # the shipped body where no override exists


def test_an_override_with_an_error_is_located_in_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "alert.html.j2").write_text("<p>{{ article.titel }}</p>\n")
    [problem] = check_templates(overrides=(tmp_path,))
    assert str(problem.location) == f"{tmp_path / 'alert.html.j2'}:1"
    assert "titel" in problem.message


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_digest_is_one_message_listing_every_held_alert(fmt: str) -> None:
    items = [
        alert_context(content()),
        alert_context(
            content(
                match=match(rule_title="Summit status", key="Trump, Putin"), article=article(title=HOSTILE)
            )
        ),
    ]
    title, body = templates_for(()).render_digest(digest_context("analysts", "digest", items, "UTC"), fmt)
    assert title == "newsmon digest: 2 alerts · New sanctions announced and more"
    assert "2 alerts" in body and "Summit status" in body and "New sanctions announced" in body
    assert ("<script>" in body) is (fmt == "text")  # text is text; Markdown and HTML neutralise it
