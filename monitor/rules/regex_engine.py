"""Rule regexes on a linear-time engine (RE2) that keeps Python's meaning; Python's ``re`` only where it must.

Python's ``re`` backtracks: ``(a+)+$`` against 34 a's and a b takes hours, and a rule is run on text that
strangers write. RE2 (``google-re2``) takes time linear in the text whatever the pattern. Rule authors write
Python syntax, and documents, tests and ``literals.py`` read patterns as Python does, so a pattern is parsed
by Python's own parser and the tree is written back out in RE2 syntax, with Python's meaning:

- ``\\w``, ``\\d``, ``\\s`` are Unicode classes in Python and ASCII in RE2: they become ``[\\p{L}\\p{N}_]``,
  ``\\p{Nd}`` and Python's exact whitespace set (tests compare every code point);
- ``\\b``/``\\B`` are ASCII in RE2 and no class can fix that, so a pattern with them runs on RE2 for texts
  without non-ASCII letters or digits (where both engines agree) and on ``re`` otherwise;
- ``$`` (without ``(?m)``) also matches before a final newline in Python: texts ending in one go to ``re``;
- ``{,3}``, ``(?x)``, scoped flags ``(?i:…)`` come out of the parser already resolved.

What RE2 cannot do at all (backreferences, lookarounds, atomic groups, possessive repeats, ``(?a)``,
repeat counts above 1000) runs on ``re``. Any pattern that may run on ``re`` must not nest repeats
ambiguously (``(a+)+``, ``(\\w+\\s?)*``): that shape is what makes backtracking exponential, so it is a
located error (``regex_risk.py``). The evaluation time budget (``rules.evaluation_budget_s``) is the last line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any, Protocol

import re2

WORD_CLASS = r"\p{L}\p{N}_"
DIGIT_CLASS = r"\p{Nd}"
SPACE_CLASS = r"\t-\r\x{1C}-\x{1F}\x{85}\p{Z}"
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")
_RE2_MAX_MEM = 64 << 20  # Unicode classes make big programs; 64 MiB fits any sane rule regex


class FoundMatch(Protocol):
    """What rules read from a match, whichever engine found it."""

    def start(self, group: int = 0) -> int: ...  # a number: RE2's matches take no group name
    def end(self, group: int = 0) -> int: ...
    def groupdict(self) -> dict[str, str | None]: ...


class Unsupported(Exception):
    """The pattern uses something RE2 cannot do; the message says what, for people."""


@dataclass(frozen=True)
class RuleRegex:
    """One rule regex: RE2 when it means the same on this text, Python's ``re`` otherwise.

    ``python`` is always there (empty-match probes, group names); ``fast`` is the RE2 program or None.
    ``python_only`` says why ``re`` runs the pattern always, ``python_sometimes`` why it runs for some texts.
    """

    source: str
    python: re.Pattern[str]
    fast: Any | None
    python_only: str | None = None
    python_sometimes: str | None = None
    boundary: bool = False  # has \b or \B: texts with non-ASCII letters/digits go to re
    end_anchor: bool = False  # has a non-multiline $: texts ending in a newline go to re
    screen: Any | None = None  # RE2 program of a looser pattern: where it finds nothing, so does ``python``

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self.python.groupindex)

    def engine_for(self, text: str) -> str:
        """``re2`` or ``re``: which engine runs this pattern on ``text``."""
        if self.fast is None:
            return "re"
        if self.end_anchor and text.endswith("\n"):
            return "re"
        if self.boundary and not text.isascii() and _NON_ASCII_WORD.search(text):
            return "re"
        return "re2"

    def finditer(self, text: str) -> Iterator[FoundMatch]:
        if self.engine_for(text) == "re2":
            return iter(self.fast.finditer(text))  # type: ignore[union-attr]
        if self.screen is None:
            return self.python.finditer(text)
        first = self.screen.search(text)
        if first is None:
            return iter(())
        # no match of the pattern starts before the looser one's first: Python's re starts there, and its
        # lookbehinds, \b and ^ still see the text before that position
        return self.python.finditer(text, first.start())

    @property
    def risk(self) -> str | None:
        """Why this pattern may run on Python's backtracking engine, or None when it never does."""
        return self.python_only or self.python_sometimes


def compile_rule_regex(source: str, flags: int) -> RuleRegex:
    """Compile ``source`` for both engines; raises ``re.error`` when Python's ``re`` rejects it."""
    python = re.compile(source, flags)
    parsed = sre_parser.parse(source, flags)
    writer = _Writer(parsed.state.groupdict)
    try:
        body = writer.sequence(parsed, parsed.state.flags)
    except Unsupported as exc:
        return RuleRegex(source, python, None, python_only=str(exc), screen=_screen(parsed))
    try:
        fast = _re2(_global_flags(parsed.state.flags) + body)
    except re2.error as exc:
        return RuleRegex(source, python, None, python_only=f"RE2 cannot compile it ({exc})")
    reasons = []
    if writer.boundary:
        reasons.append("\\b or \\B, for articles with non-ASCII letters")
    if writer.end_anchor:
        reasons.append("$, for text ending in a newline")
    sometimes = " and ".join(reasons) or None
    screen = _screen(parsed) if sometimes else None
    return RuleRegex(source, python, fast, None, sometimes, writer.boundary, writer.end_anchor, screen)


def _re2(pattern: str) -> Any:
    options = re2.Options()
    options.max_mem = _RE2_MAX_MEM
    options.log_errors = False
    return re2.compile(pattern, options)


def _screen(parsed: Any) -> Any | None:
    """RE2 program of the pattern without its assertions (lookarounds, \\b, \\B; ``$`` before any newline;
    atomic groups and possessive repeats as plain ones), or None when even that needs Python's engine.

    It matches wherever the pattern does and more, so a text where it finds nothing needs no backtracking
    engine at all: most articles, for the lookbehind-guarded patterns rules are full of, at RE2's speed.
    """
    writer = _Writer(parsed.state.groupdict, loose=True)
    try:
        return _re2(_global_flags(parsed.state.flags) + writer.sequence(parsed, parsed.state.flags))
    except (Unsupported, re2.error):
        return None


_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))


def _global_flags(flags: int) -> str:
    letters = "".join(letter for flag, letter in _FLAG_LETTERS if flags & flag)
    return f"(?{letters})" if letters else ""


class _Writer:
    """Python's parse tree → RE2 syntax with the same meaning; raises ``Unsupported`` where none exists."""

    def __init__(self, groupdict: dict[str, int], loose: bool = False) -> None:
        self.names = {number: name for name, number in groupdict.items()}
        self.boundary = False
        self.end_anchor = False
        self.loose = loose  # a superset of the pattern (``_screen``): assertions always hold, groups unnamed

    def sequence(self, items: Any, flags: int) -> str:
        if flags & re.ASCII:
            raise Unsupported("the ASCII flag (?a)")
        return "".join(self.item(op, av, flags) for op, av in items)

    def item(self, op: Any, av: Any, flags: int) -> str:
        if op is c.LITERAL:
            return _char(av)
        if op is c.NOT_LITERAL:
            return f"[^{_char(av)}]"
        if op is c.ANY:
            return "."
        if op is c.IN:
            return _char_class(av)
        if op is c.BRANCH:
            return "(?:" + "|".join(self.sequence(branch, flags) for branch in av[1]) + ")"
        if op is c.SUBPATTERN:
            return self._group(av, flags)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            lazy = "?" if op is c.MIN_REPEAT else ""
            return f"(?:{self.sequence(body, flags)}){_repeat(low, high)}{lazy}"
        if op is c.AT:
            return self._at(av, flags)
        if self.loose and op in (c.ASSERT, c.ASSERT_NOT):
            return ""
        if self.loose and op is c.ATOMIC_GROUP:
            return f"(?:{self.sequence(av, flags)})"
        if self.loose and op is c.POSSESSIVE_REPEAT:
            low, high, body = av
            return f"(?:{self.sequence(body, flags)}){_repeat(low, high)}"
        raise Unsupported(_UNSUPPORTED.get(op, f"'{op}'"))

    def _group(self, av: Any, flags: int) -> str:
        number, add, remove, body = av
        inner = self.sequence(body, (flags | add) & ~remove)
        scoped = _scoped_flags(add, remove)
        if scoped:
            inner = f"(?{scoped}:{inner})"
        if number is None or self.loose:
            return f"(?:{inner})"
        name = self.names.get(number)
        return f"(?P<{name}>{inner})" if name else f"({inner})"

    def _at(self, code: Any, flags: int) -> str:
        if code in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY):
            if self.loose:
                return ""
            self.boundary = True
            return r"\b" if code is c.AT_BOUNDARY else r"\B"
        if code is c.AT_END:
            if self.loose:
                return "(?m:$)"
            if not flags & re.MULTILINE:
                self.end_anchor = True
            return "$"
        return {c.AT_BEGINNING: "^", c.AT_BEGINNING_STRING: r"\A", c.AT_END_STRING: r"\z"}[code]


_UNSUPPORTED = {
    c.GROUPREF: "a backreference",
    c.GROUPREF_EXISTS: "a conditional group (?(1)...)",
    c.ASSERT: "a lookahead or lookbehind",
    c.ASSERT_NOT: "a negative lookahead or lookbehind",
    c.ATOMIC_GROUP: "an atomic group (?>...)",
    c.POSSESSIVE_REPEAT: "a possessive repeat",
}


def _scoped_flags(add: int, remove: int) -> str:
    on = "".join(letter for flag, letter in _FLAG_LETTERS if add & flag)
    off = "".join(letter for flag, letter in _FLAG_LETTERS if remove & flag)
    if (add | remove) & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE):
        raise Unsupported("a scoped flag other than i, m, s, x")
    return on + (f"-{off}" if off else "")


def _repeat(low: int, high: Any) -> str:
    if high is c.MAXREPEAT:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    if (low, high) == (0, 1):
        return "?"
    return f"{{{low}}}" if low == high else f"{{{low},{high}}}"


def _char(code: int) -> str:
    char = chr(code)
    return char if char.isascii() and (char.isalnum() or char == "_") else f"\\x{{{code:X}}}"


_INSIDE = {c.CATEGORY_WORD: WORD_CLASS, c.CATEGORY_DIGIT: DIGIT_CLASS, c.CATEGORY_SPACE: SPACE_CLASS}
_NEGATED = {
    c.CATEGORY_NOT_WORD: WORD_CLASS,
    c.CATEGORY_NOT_DIGIT: DIGIT_CLASS,
    c.CATEGORY_NOT_SPACE: SPACE_CLASS,
}


def _char_class(items: list[tuple[Any, Any]]) -> str:
    negate = bool(items) and items[0][0] is c.NEGATE
    items = items[1:] if negate else items
    if len(items) == 1 and items[0][0] is c.CATEGORY and items[0][1] in _NEGATED:
        inner = _NEGATED[items[0][1]]  # \W alone: the complement of the class, or (negated) the class
        return f"[{inner}]" if negate else f"[^{inner}]"
    parts = []
    for op, av in items:
        if op is c.LITERAL:
            parts.append(_char(av))
        elif op is c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and av in _INSIDE:
            parts.append(_INSIDE[av])
        elif op is c.CATEGORY and av is c.CATEGORY_NOT_DIGIT:
            parts.append(r"\P{Nd}")
        else:
            raise Unsupported("\\W or \\S inside [...] with other characters")
    return f"[{'^' if negate else ''}{''.join(parts)}]"
