"""extract_main_text: an article page's HTML → the article's text, without the page around it."""

from __future__ import annotations

import pytest

from monitor.errors import ParseError
from monitor.parsing import extract_main_text

URL = "https://news.example/world/summit-called-off"

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Summit called off | News</title>
<style>.promo { color: red }</style><script>window.tracker = "Subscribe now";</script></head>
<body>
<header><a href="/">News</a> <nav><a href="/world">World</a> <a href="/business">Business</a>
<a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Budapest summit called off</h1>
<p>The planned summit in Budapest between the two leaders was called off on Tuesday, officials said,
after talks between their foreign ministers failed to narrow the differences over a ceasefire.</p>
<p>Hours later the Treasury announced sanctions against Rosneft and Lukoil, the country&#8217;s two
largest oil companies, freezing their assets and barring American firms from dealing with them.</p>
<p>Analysts said exports of 2.33 million barrels per day could be affected &amp; prices rose 5% in
early trading in London.</p>
</article></main>
<aside><h2>Most read</h2><ul><li>Ten gadgets you missed this week</li><li>Weather warning</li></ul></aside>
<footer><p>Copyright 2026 News Ltd. All rights reserved. Cookie settings.</p></footer>
</body></html>
"""


def test_the_article_paragraphs_are_kept_in_order_as_plain_text() -> None:
    text = extract_main_text(ARTICLE.encode(), url=URL, content_type="text/html; charset=utf-8")

    lines = text.splitlines()
    assert lines[-3].startswith("The planned summit in Budapest between the two leaders was called off")
    assert "the country’s two largest oil companies" in text  # entity unescaped, line breaks joined
    assert lines[-1].endswith(
        "barrels per day could be affected & prices rose 5% in early trading in London."
    )
    assert "<" not in text and "  " not in text


@pytest.mark.parametrize(
    "boilerplate",
    ["Sport", "Business", "Most read", "Ten gadgets", "Copyright 2026", "window.tracker", "color: red"],
)
def test_navigation_asides_footers_scripts_and_styles_are_dropped(boilerplate: str) -> None:
    assert boilerplate not in extract_main_text(ARTICLE.encode(), url=URL)


def test_the_charset_of_the_content_type_header_decodes_a_page_without_a_meta_charset() -> None:
    page = (
        "<html><body><article><p>Café prices rose to €5 in the capital, where café owners said the "
        "increase was the largest in a decade and blamed the cost of imported beans.</p></article></body></html>"
    ).encode("cp1252")

    text = extract_main_text(page, url=URL, content_type="text/html; charset=windows-1252")

    assert text.startswith("Café prices rose to €5 in the capital")


def test_a_meta_charset_decodes_the_page_when_the_header_names_none() -> None:
    page = (
        '<html><head><meta charset="windows-1252"></head><body><article><p>Café prices rose to €5 in the '
        "capital, where café owners said the increase was the largest in a decade.</p></article></body></html>"
    ).encode("cp1252")

    assert "Café prices rose to €5" in extract_main_text(page, url=URL, content_type="text/html")


def test_html_served_as_text_plain_is_still_read() -> None:
    assert "Budapest" in extract_main_text(ARTICLE.encode(), url=URL, content_type="text/plain")


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"%PDF-1.7\n%binary", "application/pdf", "not an HTML page (application/pdf)"),
        (b'{"title": "Summit"}', "application/json", "not an HTML page (application/json)"),
        (b"", "text/html", "empty page"),
        (b"  \n ", None, "empty page"),
        (
            b"<html><body><script>var a = 1;</script></body></html>",
            "text/html",
            "no main text found in the page",
        ),
    ],
)
def test_a_page_without_main_text_is_a_parse_error_naming_the_url_and_the_reason(
    body: bytes, content_type: str | None, reason: str
) -> None:
    with pytest.raises(ParseError) as caught:
        extract_main_text(body, url=URL, content_type=content_type)

    assert (caught.value.url, caught.value.reason) == (URL, reason)
    assert str(caught.value) == f"{URL}: {reason}"


def test_an_unknown_charset_name_falls_back_to_the_page_itself() -> None:
    text = extract_main_text(ARTICLE.encode(), url=URL, content_type="text/html; charset=no-such-codec")

    assert "the country’s two largest oil companies" in text
