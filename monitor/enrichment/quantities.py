"""Figures in news text → ``domain.Quantity``: a value in a canonical unit, its span, sentence and governors.

A regular expression, not the statistical model, reads the figures: news writes them in a small number of
forms ("2.33 million barrels per day", "$700m", "30 per cent", "1.2bn", "137,000 b/d") that a grammar reads
exactly, and the rules-only pipeline (no model installed) must find them too. The model's MONEY / QUANTITY /
PERCENT entities are reported separately as entities.

Which figures are reported: any number with a unit or a currency, and bare numbers only when they are
clearly figures (a magnitude word, a thousands separator or a decimal point): "137,000" and "2.33 million"
are, "2024", "July 8" and "50 minutes" are not.
"""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterator, Sequence

from monitor.domain import Quantity
from monitor.enrichment import units

GOVERNOR_WINDOW_LEFT = 15  # words before the figure that may say what it is ("exports ... remain at")
GOVERNOR_WINDOW_RIGHT = 8  # words after it ("137,000 b/d of output")
MAX_GOVERNORS = 3

_UNIT_GROUPS = {f"u{index}": form for index, form in enumerate(units.UNIT_FORMS)}
_UNIT_ALTERNATION = "|".join(f"(?P<{name}>{form.pattern})" for name, form in _UNIT_GROUPS.items())

_FIGURE = re.compile(
    r"""
    (?<![\w$€£¥₹₽.,/-])
    (?:(?P<cur>"""
    + units.alternation(units.CURRENCY_PREFIXES)
    + r""")\s?)?
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]\d)
    (?:
        (?P<suffix>"""
    + units.alternation(units.MAGNITUDE_SUFFIXES)
    + r""")(?![\w/])
      | \s*(?P<mag>"""
    + units.alternation(units.MAGNITUDE_WORDS)
    + r""")\b
    )?
    (?:(?:\s*-\s*|\s*)(?:"""
    + _UNIT_ALTERNATION
    + r"""))?
    (?:\s+(?P<curword>"""
    + units.alternation(units.CURRENCY_WORDS)
    + r""")\b)?
    (?:(?:\s+(?:a|an|per|each)\s+|\s*/\s*)(?P<per>"""
    + units.alternation(units.PER_UNIT_WORDS)
    + r""")s?\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
_LETTERS = frozenset(string.ascii_letters)
# Where a figure can begin: a number that is not inside a word or another number, or a currency written
# just before one. Matching the grammar only there, rather than letting it try every character, halves the
# cost of reading a figure-dense text. The look-behind comes after the digit so that the regex engine can
# skip from digit to digit rather than test every position.
_NUMBER_START = re.compile(r"\d(?<![\w.,]\d)")
_PREFIX_ENDINGS = tuple(prefix.lower() for prefix in units.CURRENCY_PREFIXES)
_PREFIX_BEFORE = re.compile(r"(?:" + units.alternation(units.CURRENCY_PREFIXES) + r")\s?$", re.IGNORECASE)
_LONGEST_PREFIX = max(len(p) for p in units.CURRENCY_PREFIXES) + 1


_ONES = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = {
    "zero": 0,
    "oh": 0,
    **{word: value for word, value in _ONES.items() if value < 10 and len(word) > 2},
}
_NUMBER_WORD = "|".join(sorted([*_ONES, *_SCALES, "half", "point", "zero"], key=len, reverse=True))
_SCALE_WORD = re.compile(r"(?i)\b(?:hundred|thousand|million|billion)\b")
_UNIT_AFTER = re.compile(rf"\s*(?:{_UNIT_ALTERNATION})", re.IGNORECASE)
_WORDS_BEFORE = re.compile(rf"(?<![\w-])(?:(?:{_NUMBER_WORD})(?:\s+and\s+|[\s-]+))+$", re.IGNORECASE)
_WORDS_REACH = 80  # characters before the scale word that may still belong to the number


def _words_value(words: str) -> float | None:
    """ "three hundred and ninety thousand" → 390000, "half a million" → 500000; None below a hundred or
    when the words do not make one number."""
    tokens = _decimals([word for word in re.split(r"[\s-]+", words.lower()) if word != "and"])
    if tokens is None:
        return None
    total, current, half, and_a_half = 0.0, 0.0, False, False
    for index, word in enumerate(tokens):
        if isinstance(word, float):  # "one point two million": the digits after the point
            current += word
        elif word == "half":
            half = half or not and_a_half
        elif word in {"a", "an"}:
            if current and tokens[index + 1 : index + 2] == ["half"]:  # "two and a half million"
                and_a_half = True
                continue
            if not half and index != 0:
                return None
            current = current if half else 1.0
        elif word in _ONES:
            current += _ONES[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            base = current + 0.5 if and_a_half else (0.5 if half and not current else current or 1)
            total += base * _SCALES[word]
            current, half, and_a_half = 0.0, False, False
    value = total + current + (0.5 if and_a_half else 0.0)
    return value if value >= 100 else None


def _decimals(tokens: list[str]) -> list[str | float] | None:
    """The words with "point" and the digit words after it as one fraction ("point two five" → 0.25);
    None when no digit follows a "point"."""
    out: list[str | float] = []
    index = 0
    while index < len(tokens):
        if tokens[index] != "point":
            out.append(tokens[index])
            index += 1
            continue
        digits = ""
        index += 1
        while index < len(tokens) and tokens[index] in _DIGITS:
            digits += str(_DIGITS[tokens[index]])
            index += 1
        if not digits:
            return None
        out.append(float(f"0.{digits}"))
    return out


def _word_figures(text: str) -> Iterator[tuple[int, int, float, str]]:
    """Figures written in words with a unit: (start, end, value, unit). "two million barrels a day", "half a
    million bpd", "six hundred and forty thousand barrels per day"; without a unit, words are not figures.

    Found from the scale word that the unit follows (rare in text), then the number words before it: a scan
    of every position for number words would double the cost of reading figures.
    """
    for scale in _SCALE_WORD.finditer(text):
        unit = _UNIT_AFTER.match(text, scale.end())
        unit_name = unit.lastgroup if unit and unit.lastgroup in _UNIT_GROUPS else None
        if unit is None or unit_name is None:
            continue
        before = _WORDS_BEFORE.search(text, max(0, scale.start() - _WORDS_REACH), scale.start())
        if before is None:  # "2.33 million bpd" is the digits' figure; a bare "million bpd" is no number
            continue
        value = _words_value(text[before.start() : scale.end()])
        if value is not None:
            form = _UNIT_GROUPS[unit_name]
            yield before.start(), unit.end(), value * 10**form.exponent, form.unit


def find_quantities(text: str, sentence_starts: Sequence[int] = (0,)) -> list[Quantity]:
    """Every figure in ``text``; ``sentence_starts`` are the character offsets where sentences begin."""
    starts = list(sentence_starts) or [0]
    found = []
    read_all = [(*match.span(), _read(match, text)) for match in _figures(text)]
    taken = [(start, end) for start, end, _ in read_all]
    read_all += [  # "2.4 million bpd" is the digits' figure, not "million bpd" in words
        (start, end, (value, unit))
        for start, end, value, unit in _word_figures(text)
        if not any(s < end and start < e for s, e in taken)
    ]
    for start, end, read in sorted(read_all, key=lambda item: item[0]):
        if read is None:
            continue
        value, unit = read
        sentence = max(bisect.bisect_right(starts, start) - 1, 0)
        sentence_end = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
        found.append(
            Quantity(
                text=text[start:end],
                value=value,
                unit=unit,
                start=start,
                end=end,
                sentence=sentence,
                governors=_governors(text, starts[sentence], sentence_end, start, end),
            )
        )
    return found


def _figures(text: str) -> Iterator[re.Match[str]]:
    """The grammar's matches left to right, without overlaps: what ``_FIGURE.finditer(text)`` gives."""
    done = 0
    for number in _NUMBER_START.finditer(text):
        position = number.start()
        if position < done:
            continue
        match = None
        window = max(done, position - _LONGEST_PREFIX)
        if text[window:position].rstrip().lower().endswith(_PREFIX_ENDINGS):
            prefix = _PREFIX_BEFORE.search(text, window, position)
            match = _FIGURE.match(text, prefix.start()) if prefix else None
        match = match or _FIGURE.match(text, position)
        if match is not None:
            done = match.end()
            yield match


def parse_quantity(text: str) -> tuple[float, str] | None:
    """The value and canonical unit of a single figure such as "2.33 million bpd", or None."""
    match = _FIGURE.search(text)
    return _read(match, text) if match else None


def _read(match: re.Match[str], text: str) -> tuple[float, str] | None:
    """(value, unit) of one regex match, or None when it is not a figure we report."""
    number = match["num"].replace(",", "")
    exponent = 0
    if match["suffix"]:
        exponent = units.MAGNITUDE_SUFFIXES[match["suffix"].lower()]
    elif match["mag"]:
        exponent = units.MAGNITUDE_WORDS[match["mag"].lower()]
    unit_name = match.lastgroup if match.lastgroup in _UNIT_GROUPS else None
    if unit_name is None and (match["curword"] or match["per"]):  # a unit may sit before those
        unit_name = next((name for name in _UNIT_GROUPS if match.start(name) >= 0), None)
    currency = _currency(match)
    if unit_name is not None and currency is None:
        form = _UNIT_GROUPS[unit_name]
        return _value(number, exponent + form.exponent), form.unit
    if currency is not None:
        if unit_name is not None:
            return None  # "$5 million barrels" is not a form news uses; do not guess
        per = f"/{units.PER_UNIT_WORDS[_squash(match['per'])]}" if match["per"] else ""
        return _value(number, exponent), f"currency:{currency}{per}"
    if match["per"]:
        return None  # "65 a barrel" without a currency: a price in an unknown currency
    if not (match["suffix"] or match["mag"] or "," in match["num"] or "." in match["num"]):
        return None  # "2024", "July 8", "50 minutes": not a figure a rule compares
    if match.end() < len(text) and text[match.end()].isalpha():
        return None  # "7.30pm", "1.5x"
    return _value(number, exponent), "count"


def _value(number: str, exponent: int) -> float:
    """ "2.33" and 6 → 2330000.0, read as one decimal literal so no binary rounding creeps in."""
    return float(f"{number}e{exponent}")


def _currency(match: re.Match[str]) -> str | None:
    if match["cur"]:
        return units.CURRENCY_PREFIXES[match["cur"].lower()]
    if match["curword"]:
        return units.CURRENCY_WORDS[_squash(match["curword"])]
    return None


def _squash(words: str) -> str:
    return " ".join(words.lower().split())


def _governors(text: str, sentence_start: int, sentence_end: int, start: int, end: int) -> tuple[str, ...]:
    """The governing words nearest the figure at ``start:end``, nearest first; ties go to the word before it.

    Only words of the figure's own sentence count. Each side is read with one ``findall`` (C speed), not
    by splitting the whole sentence into words with offsets: that made up most of the cost of reading
    figures. No word runs into the figure from the left (the grammar needs a non-word character there),
    but a unit may end inside a word ("barrels of oilfield"): that word starts inside the figure, so its
    rest is not a word after it.
    """
    before = _WORD.findall(text, sentence_start, start)[-GOVERNOR_WINDOW_LEFT:]
    after = _WORD.findall(text, end, sentence_end)
    skip = 1 if after and text[end - 1] in _LETTERS and text[end] in _LETTERS else 0
    after = after[skip : skip + GOVERNOR_WINDOW_RIGHT]
    governors = units.GOVERNORS
    # (distance in words, 0 before / 1 after, word): the nearest first, a word before the figure on a tie
    scored = [(len(before) - i, 0, w) for i, w in enumerate(map(str.lower, before)) if w in governors]
    scored += [(i + 1, 1, w) for i, w in enumerate(map(str.lower, after)) if w in governors]
    if not scored:
        return ()
    ordered: list[str] = []
    for _, _, word in sorted(scored):
        if word not in ordered:
            ordered.append(word)
    return tuple(ordered[:MAX_GOVERNORS])
