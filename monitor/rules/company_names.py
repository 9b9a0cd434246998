"""How a company's name ends in wire copy: its legal suffixes ("Ltd", "FZE", "Sdn Bhd"), perhaps after a
qualifier in brackets ("(Hong Kong) Ltd"). The model's entity span and the parser's phrase often stop short of
them, so the name readers finish a company's name from the text that follows it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from monitor.domain.name_words import COMPANY_SUFFIXES as _SUFFIXES
from monitor.rules.context import Hit

COMPANY_SUFFIX = re.compile(rf"(?:,?\s(?:{_SUFFIXES})\.?)+(?![\w-])")  # what follows a company's name
COMPANY_TAIL = re.compile(rf"(?:\s(?-i:[A-Z])[\w&'-]*){{1,3}}(?:,?\s(?:{_SUFFIXES})\.?)+(?![\w-])")
_QUALIFIED = re.compile(rf"\s\((?-i:[A-Z])[\w.&' -]{{0,24}}\)(?:,?\s(?:{_SUFFIXES})\.?)+(?![\w-])")


def qualified(hits: tuple[Hit, ...], text: str) -> tuple[Hit, ...]:
    """A company's name goes on over a qualifier in brackets before its suffix: "Tianrun Components (Hong Kong)
    Ltd", "Indus Precision (Pvt) Ltd" (the bracket ends the model's span and the parser's phrase). What the
    bracket held is no name of its own ("HK")."""
    tails: list[tuple[int, int]] = []
    extended = []
    for hit in hits:
        tail = (
            _QUALIFIED.match(text, hit.span.end) if text and hit.span.field == "text" and hit.term else None
        )
        if tail is not None and hit.term and text[hit.span.start : hit.span.end].endswith(hit.term):
            tails.append(tail.span())
            hit = replace(hit, term=hit.term + tail.group())
        extended.append(hit)
    return tuple(
        hit
        for hit in extended
        if not any(low <= hit.span.start and hit.span.end <= high for low, high in tails)
    )
