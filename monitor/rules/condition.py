"""The ``condition:`` language: a boolean expression over selection names.

Grammar (``not`` binds tightest, then ``and``, then ``or``; keywords are case-insensitive)::

    expression := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | NAME | "(" expression ")"

A tiny recursive-descent parser: it is short, gives exact error positions, and leaves room for Sigma's
``1 of selection_*`` later (``of``, ``them``, ``any`` and ``all`` are reserved words already).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

KEYWORDS = frozenset({"and", "or", "not"})
RESERVED = KEYWORDS | {"of", "them", "any", "all"}

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<paren>[()])|(?P<other>\S))")
_HINTS = {"&": "write 'and'", "|": "write 'or'", "!": "write 'not'", "~": "write 'not'"}


class ConditionError(ValueError):
    """The condition does not parse; ``offset`` is the 0-based character position of the trouble."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Name:
    name: str
    offset: int


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]


Expr = Name | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # "name", "keyword", "(", ")", "end"
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for found in _TOKEN.finditer(text):
        if found.group("name"):
            word = found.group("name")
            kind = "keyword" if word.lower() in KEYWORDS else "name"
            tokens.append(_Token(kind, word.lower() if kind == "keyword" else word, found.start("name")))
        elif found.group("paren"):
            tokens.append(_Token(found.group("paren"), found.group("paren"), found.start("paren")))
        elif found.group("other"):
            char = found.group("other")
            raise ConditionError(f"unexpected character '{char}'", found.start("other"), _HINTS.get(char))
    tokens.append(_Token("end", "", len(text.rstrip())))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at_keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "keyword" and token.text == word

    def expression(self) -> Expr:
        operands = [self.term()]
        while self.at_keyword("or"):
            self.take()
            operands.append(self.term())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def term(self) -> Expr:
        operands = [self.factor()]
        while self.at_keyword("and"):
            self.take()
            operands.append(self.factor())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def factor(self) -> Expr:
        token = self.take()
        if token.kind == "keyword" and token.text == "not":
            return Not(self.factor())
        if token.kind == "name":
            return Name(token.text, token.offset)
        if token.kind == "(":
            inner = self.expression()
            closing = self.take()
            if closing.kind != ")":
                raise ConditionError(f"expected ')' {_found(closing)}", closing.offset)
            return inner
        raise ConditionError(f"expected a selection name, 'not' or '(' {_found(token)}", token.offset)


def _found(token: _Token) -> str:
    return "but the condition ended" if token.kind == "end" else f"but found '{token.text}'"


def parse(text: str) -> Expr:
    """Parse a condition; raises ``ConditionError`` with the offset of the first problem."""
    parser = _Parser(text)
    if parser.peek().kind == "end":
        raise ConditionError("the condition is empty", 0)
    expr = parser.expression()
    rest = parser.peek()
    if rest.kind != "end":
        hint = "join selections with 'and' or 'or'" if rest.kind in ("name", "(") else None
        raise ConditionError(f"unexpected '{rest.text}' after a complete expression", rest.offset, hint)
    return expr


def names(expr: Expr) -> Iterator[Name]:
    """Every selection name in ``expr``, left to right."""
    if isinstance(expr, Name):
        yield expr
    elif isinstance(expr, Not):
        yield from names(expr.operand)
    else:
        for operand in expr.operands:
            yield from names(operand)


def positive_names(expr: Expr, positive: bool = True) -> frozenset[str]:
    """Names whose holding can make ``expr`` true (under an even number of ``not``): the ones worth citing."""
    if isinstance(expr, Name):
        return frozenset({expr.name}) if positive else frozenset()
    if isinstance(expr, Not):
        return positive_names(expr.operand, not positive)
    return frozenset().union(*(positive_names(operand, positive) for operand in expr.operands))


def evaluate(expr: Expr, holds: Callable[[str], bool]) -> bool:
    """Evaluate with short-circuiting, so a selection is only computed when the answer needs it."""
    if isinstance(expr, Name):
        return holds(expr.name)
    if isinstance(expr, Not):
        return not evaluate(expr.operand, holds)
    if isinstance(expr, And):
        return all(evaluate(operand, holds) for operand in expr.operands)
    return any(evaluate(operand, holds) for operand in expr.operands)


def evaluate_unknown(expr: Expr, value: Callable[[str], bool | None]) -> bool | None:
    """Three-valued (Kleene) evaluation: None where a selection's value is not known yet, and the
    outcome None when the known values do not settle it ("a and unknown" is False once "a" is False)."""
    if isinstance(expr, Name):
        return value(expr.name)
    if isinstance(expr, Not):
        inner = evaluate_unknown(expr.operand, value)
        return None if inner is None else not inner
    settles = isinstance(expr, Or)  # True settles an "or", False an "and"
    unknown = False
    for operand in expr.operands:
        found = evaluate_unknown(operand, value)
        if found is None:
            unknown = True
        elif found is settles:
            return settles
    return None if unknown else not settles


Predicate = Callable[[Callable[[str], bool]], bool]


def compile_expr(expr: Expr) -> Predicate:
    """``evaluate`` as nested closures, built once per rule: no tree walk or generator per article."""
    if isinstance(expr, Name):
        name = expr.name
        return lambda holds: holds(name)
    if isinstance(expr, Not):
        inner = compile_expr(expr.operand)
        return lambda holds: not inner(holds)
    parts = tuple(compile_expr(operand) for operand in expr.operands)
    if isinstance(expr, And):
        return lambda holds: all(part(holds) for part in parts)
    return lambda holds: any(part(holds) for part in parts)


def render(expr: Expr) -> str:
    """A canonical text of ``expr``, parenthesised only where precedence needs it."""
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Not):
        inner = render(expr.operand)
        return f"not {inner}" if isinstance(expr.operand, (Name, Not)) else f"not ({inner})"
    if isinstance(expr, And):
        return " and ".join(render(o) if not isinstance(o, Or) else f"({render(o)})" for o in expr.operands)
    return " or ".join(render(operand) for operand in expr.operands)


def all_of(selection_names: list[str]) -> Expr:
    """The default condition: every selection must hold."""
    parts = tuple(Name(name, 0) for name in selection_names)
    return parts[0] if len(parts) == 1 else And(parts)


MAX_ANALYSED_NAMES = 12
"""Conditions over more distinct selections than this are not analysed (the truth table doubles per name)."""


def analyse(expr: Expr) -> tuple[frozenset[str], bool | None]:
    """Names that can never change the outcome, and the outcome when it is the same for every input.

    ``a or (a and b)``: ``b`` is irrelevant. ``a and not a``: always False. Found by trying every
    assignment, which is exact and cheap for the handful of selections a rule has.
    """
    used = sorted({name.name for name in names(expr)})
    if len(used) > MAX_ANALYSED_NAMES:
        return frozenset(), None
    table: dict[tuple[bool, ...], bool] = {}
    for row in itertools.product((False, True), repeat=len(used)):
        values = dict(zip(used, row, strict=True))
        table[row] = evaluate(expr, values.__getitem__)
    outcomes = set(table.values())
    constant = outcomes.pop() if len(outcomes) == 1 else None
    irrelevant = frozenset(
        name
        for i, name in enumerate(used)
        if all(table[row] == table[(*row[:i], not row[i], *row[i + 1 :])] for row in table)
    )
    return irrelevant, constant
