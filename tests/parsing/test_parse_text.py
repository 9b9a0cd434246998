"""HTML → plain text: what a rule sees of an entry's markup."""

from __future__ import annotations

import pytest

from monitor.parsing.text import html_to_text, plain_text

HTML_CASES = [
    ("plain words pass through", "Oil prices rose", "Oil prices rose"),
    ("tags are removed", "<b>Oil</b> prices <i>rose</i>", "Oil prices rose"),
    ("entities are unescaped", "AT&amp;T &lt;3 caf&eacute; &#8217;", "AT&T <3 café \u2019"),
    ("script content is dropped", "a<script>alert('sanction')</script>b", "ab"),
    ("style content is dropped", "<style>p { color: red }</style>text", "text"),
    ("iframe content is dropped", "x<iframe src='e'>fallback</iframe>y", "xy"),
    ("unclosed script drops the rest", "before<script>var sanctions = 1;", "before"),
    ("self-closed iframe drops nothing", "a<iframe/>b", "ab"),
    ("paragraphs become lines", "<p>one</p><p>two</p>", "one\ntwo"),
    (
        "a line break in a paragraph's source is a space",
        "<p>one\ntwo</p>\n<p>three\r\nfour</p>",
        "one two\nthree four",
    ),
    ("pre keeps its lines", "<pre>a\nb</pre>c", "a\nb\nc"),
    ("br becomes a line break", "one<br>two<br/>three", "one\ntwo\nthree"),
    ("list items become lines", "<ul><li>a</li><li>b</li></ul>", "a\nb"),
    ("headings become lines", "<h1>Title</h1>body", "Title\nbody"),
    ("table cells are spaced", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
    ("whitespace collapses", "  many \t  spaces\n\n\n and  lines  ", "many spaces\nand lines"),
    ("nbsp is a space", "a&nbsp;&nbsp;b", "a b"),
    ("mixed runs are one space", "a \t b\u2003 c\r\nd\t\te", "a b c\nd e"),
    ("single spaces stay", "one two  three", "one two three"),
    ("comments vanish", "a<!-- hidden sanction -->b", "ab"),
    ("attributes never leak", '<a href="https://x/sanctions" title="embargo">link</a>', "link"),
    ("broken markup survives", "<p>open <b>bold</p> after", "open bold\nafter"),
    ("HTML escaped twice", "&lt;div&gt;&lt;p&gt;[deleted]&lt;/p&gt;&lt;/div&gt; by u", "[deleted]\nby u"),
    ("code samples keep their angle brackets", "x &lt;&lt;script y", "x <<script y"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("markup", "expected"), [c[1:] for c in HTML_CASES], ids=[c[0] for c in HTML_CASES])
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a < b and c > d", "a < b and c > d"),  # text declared plain keeps its angle brackets
        ("It&#8217;s double-escaped", "It\u2019s double-escaped"),
        ("  two\n\n  lines ", "two\nlines"),
    ],
)
def test_plain_text_only_unescapes_and_tidies(value: str, expected: str) -> None:
    assert plain_text(value) == expected
