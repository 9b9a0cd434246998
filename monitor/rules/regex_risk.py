"""Which regexes can make Python's backtracking ``re`` take exponential time: ambiguous nested repeats.

``(a+)+$`` against "aaaa…ab" tries every way of cutting the a's into groups: 2^n. The shape behind it is a
repeat inside a repeat where the inner one can hand a character over to what follows it — the rest of
the outer body, or the outer body's next round. ``(?:\\w+\\s+){0,5}`` is safe (a word ends where spaces
begin); ``(\\w+\\s?)*`` and ``(\\d+,?)+`` are not (the optional separator lets the next round take over).

Character sets are compared on a sample alphabet (ASCII plus a few letters, digits and spaces from other
scripts), which is enough to tell ``\\w`` from ``\\s`` or ``a`` from ``,``. Anything the check cannot read
counts as dangerous. Alternations that overlap without an inner repeat (``(a|aa)+``) are not caught; the
evaluation time budget is there for what a static check misses.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

_ALPHABET = frozenset([chr(code) for code in range(32, 127)] + list("\t\n\r\xa0\u2003éÉßЖж١٢中’—_"))
_CLASSES: dict[tuple[bool, tuple[Any, ...]], frozenset[str]] = {}
_CATEGORY = {
    c.CATEGORY_WORD: re.compile(r"\w"),
    c.CATEGORY_NOT_WORD: re.compile(r"\W"),
    c.CATEGORY_DIGIT: re.compile(r"\d"),
    c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    c.CATEGORY_SPACE: re.compile(r"\s"),
    c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
}
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
Chars = frozenset[str] | None  # None: cannot tell, so assume it overlaps anything


def ambiguous_nested_repeat(source: str, flags: int = 0) -> str | None:
    """The inner repeat (``+``, ``*``, ``{2,}``…) that makes ``source`` exponential on ``re``, or None."""
    parsed = sre_parser.parse(source, flags)
    return _Check(bool(parsed.state.flags & re.IGNORECASE)).tree(list(parsed))


class _Check:
    def __init__(self, ignore_case: bool) -> None:
        self.ignore_case = ignore_case

    def tree(self, items: list[tuple[Any, Any]]) -> str | None:
        """Every repeat in ``items``, at any depth, checked as an outer repeat."""
        for op, av in items:
            for child in _children(op, av):
                if op in _REPEATS and _repeats(av):
                    found = self.scan(child, self.first(child, frozenset()))
                    if found:
                        return found
                found = self.tree(child)
                if found:
                    return found
        return None

    def scan(self, items: list[tuple[Any, Any]], after: Chars) -> str | None:
        """An inner repeat in ``items`` whose characters can also start what follows it (``after``)."""
        for index, (op, av) in enumerate(items):
            follow = self.first(items[index + 1 :], after)
            if op in _REPEATS:
                if _repeats(av):
                    chars = self.chars(list(av[2]))
                    if chars is None or follow is None or chars & follow:
                        return _describe(av)
                    follow = _union(follow, self.first(list(av[2]), frozenset()))
                found = self.scan(list(av[2]), follow)
            elif op is c.SUBPATTERN:
                found = self.scan(list(av[-1]), follow)
            elif op is c.BRANCH:
                found = next((f for b in av[1] if (f := self.scan(list(b), follow))), None)
            else:
                found = None
            if found:
                return found
        return None

    def first(self, items: list[tuple[Any, Any]], after: Chars) -> Chars:
        """The characters a match of ``items`` can start with (``after`` when all of them are optional)."""
        found: frozenset[str] = frozenset()
        for op, av in items:
            if op is c.AT:
                continue
            if op in _REPEATS:
                part = self.first(list(av[2]), frozenset())
                optional = av[0] == 0
            elif op is c.SUBPATTERN:
                part, optional = self.first(list(av[-1]), None), False
            elif op is c.BRANCH:
                parts = [self.first(list(b), None) for b in av[1]]
                part = None if any(p is None for p in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
                optional = False
            else:
                part, optional = self.single(op, av), False
            if part is None:
                return None
            found |= part
            if not optional:
                return found
        return _union(found, after)

    def chars(self, items: list[tuple[Any, Any]]) -> Chars:
        """Every character ``items`` can consume, anywhere."""
        found: frozenset[str] = frozenset()
        for op, av in items:
            if op is c.AT:
                continue
            children = _children(op, av)
            part = self.single(op, av) if not children else self.chars([i for ch in children for i in ch])
            if part is None:
                return None
            found |= part
        return found

    def single(self, op: Any, av: Any) -> Chars:
        if op is c.LITERAL:
            return self._cased({chr(av)})
        if op is c.NOT_LITERAL:
            return _ALPHABET - self._cased({chr(av)})
        if op is c.ANY:
            return _ALPHABET - {"\n"}
        if op is c.IN:
            key = (self.ignore_case, tuple(av))
            found = _CLASSES.get(key)
            if found is None:  # the same classes ("[\w'’-]") recur across rules: each is read once
                found = _CLASSES[key] = frozenset(ch for ch in _ALPHABET if self._in_class(av, ch))
            return found
        return None

    def _cased(self, chars: set[str]) -> frozenset[str]:
        if self.ignore_case:
            chars |= {ch.lower() for ch in chars} | {ch.upper() for ch in chars}
        return frozenset(chars)

    def _in_class(self, items: list[tuple[Any, Any]], char: str) -> bool:
        negate = bool(items) and items[0][0] is c.NEGATE
        variants = self._cased({char})
        hit = False
        for op, av in items:
            if op is c.LITERAL:
                hit = chr(av) in variants
            elif op is c.RANGE:
                hit = any(av[0] <= ord(v) <= av[1] for v in variants if len(v) == 1)
            elif op is c.CATEGORY:
                hit = av in _CATEGORY and bool(_CATEGORY[av].match(char))
            if hit:
                break
        return hit != negate


def _children(op: Any, av: Any) -> list[list[tuple[Any, Any]]]:
    if op in _REPEATS:
        return [list(av[2])]
    if op is c.SUBPATTERN:
        return [list(av[-1])]
    if op is c.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [list(av[1])]
    if op is c.ATOMIC_GROUP:
        return [list(av)]
    if op is c.GROUPREF_EXISTS:
        return [list(branch) for branch in av[1:] if branch]
    return []


def _repeats(av: Any) -> bool:
    high = av[1]
    return bool(high is c.MAXREPEAT or high > 1)


def _union(a: Chars, b: Chars) -> Chars:
    return None if a is None or b is None else a | b


def _describe(av: Any) -> str:
    low, high = av[0], av[1]
    if high is c.MAXREPEAT:
        return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
    return f"{{{low},{high}}}"
