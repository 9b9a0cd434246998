"""Sentence boundaries without a model: line breaks, and full stops followed by a new sentence.

For the rules-only pipeline, where a tokenizer would cost more than everything else together. It splits
after ".", "!" or "?" (and any closing quotes or brackets) when the next word starts with a capital, a digit
or a quote, unless the word before the stop is a common abbreviation ("Mr.", "U.S.", "Jan."); and at every
line break, because ``Article.field_text("text")`` puts the title, the summary and each paragraph on
lines of their own.
"""

from __future__ import annotations

import re

from monitor.domain.abbreviations import is_abbreviation

# A boundary is a line break, or a stop followed by closing quotes or brackets, space and a new sentence. Both
# begin with one of four characters, so the regex engine can skip straight to those instead of trying every
# position (three times faster); the sentence begins where the match ends.
_BOUNDARY = re.compile(r"""[.!?\n](?:(?<=\n)\s*|["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9]))""")


def sentence_starts(text: str) -> list[int]:
    """The character offsets where the sentences of ``text`` begin; always starts with 0."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        mark, end = match.span()
        if text.find("\n", mark, end) < 0 and _ends_with_abbreviation(text, mark + 1):
            continue
        if starts[-1] < end < len(text):
            starts.append(end)
    return starts


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop just before ``stop`` ends an abbreviation or an initial ("J. Smith")."""
    words = text[max(0, stop - 12) : stop].split()
    if not words:
        return False
    return is_abbreviation(words[-1].rstrip(".\"'”’)]").lstrip("\"'“‘(["))
