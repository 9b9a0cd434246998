"""How a text longer than a batch is cut for the model: after line breaks, into pieces that add up to it."""

from __future__ import annotations

import pytest

from monitor.enrichment.enricher import _pieces


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("", 10, [""]),
        ("first line\nsecond line\nthird", 15, ["first line\n", "second line\n", "third"]),
        ("one two three four", 9, ["one two ", "three ", "four"]),  # no line break: after a space
        ("abcdefghijkl", 5, ["abcde", "fghij", "kl"]),  # no space either: at the limit
        ("para one.\n\npara two.", 12, ["para one.\n\n", "para two."]),
    ],
)
def test_pieces_are_cut_after_line_breaks_and_add_up_to_the_text(
    text: str, limit: int, expected: list[str]
) -> None:
    pieces = _pieces(text, limit)
    assert pieces == expected
    assert "".join(pieces) == text and all(len(p) <= limit for p in pieces)
