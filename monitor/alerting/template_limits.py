"""Limits on what one template render may cost: a template is text a person edits, and a slip such as
``{{ "=" * 10**9 }}`` or two nested ``range(100000)`` loops must end in a located error, not a
MemoryError or a daemon that stops answering.

The sandbox already refuses Python internals and a single ``range`` over 100,000 items. Added here:

- ``MAX_OUTPUT_CHARS`` per render: output is streamed and the render stops once past it;
- ``MAX_LOOP_ITEMS`` per render, over all ``range`` loops together (nested loops multiply);
- ``*`` and ``**`` checked before they run: a repeated string or list is at most ``MAX_OUTPUT_CHARS``
  long, and a power at most ``MAX_POWER_BITS`` bits.

Each raises ``jinja2.sandbox.SecurityError``, which the caller turns into a TemplateError at file:line.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_OUTPUT_CHARS = 1_000_000
MAX_LOOP_ITEMS = 100_000
MAX_POWER_BITS = 4_096

_loop_items: contextvars.ContextVar[list[int]] = contextvars.ContextVar("template_loop_items")


class LimitedEnvironment(SandboxedEnvironment):
    """The sandbox, with repetition and powers checked before they allocate."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = budgeted_range

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def budgeted_range(*args: int) -> Iterator[int]:
    """``range`` that counts its items against the render's ``MAX_LOOP_ITEMS``."""
    items = range(*args)
    budget = _loop_items.get(None)
    if budget is None:  # outside render_bounded: only the size of this one range is checked
        budget = [0]
    if budget[0] + len(items) > MAX_LOOP_ITEMS:
        raise SecurityError(f"loops over range() would run more than {MAX_LOOP_ITEMS} times in one render")
    budget[0] += len(items)
    return iter(items)


def render_bounded(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """``template.render(context)`` within the limits above."""
    token = _loop_items.set([0])
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the template's output is longer than {MAX_OUTPUT_CHARS} characters")
            parts.append(part)
        return "".join(parts)
    finally:
        _loop_items.reset(token)


def _check_repeat(sequence: Any, times: Any) -> None:
    repeatable = isinstance(sequence, str | list | tuple | bytes) and isinstance(times, int)
    if repeatable and len(sequence) * times > MAX_OUTPUT_CHARS:
        raise SecurityError(f"repeating a sequence beyond {MAX_OUTPUT_CHARS} items")


def _check_power(base: Any, exponent: Any) -> None:
    integers = isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1
    if integers and exponent * abs(base).bit_length() > MAX_POWER_BITS:
        raise SecurityError(f"a power larger than {MAX_POWER_BITS} bits")
