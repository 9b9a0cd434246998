"""Key templates: ``key: "{target}"`` names what an alert is about, filled from a match's captures.

Deliberately tiny — only ``{name}`` placeholders, fallbacks ``{target|authority}`` (the first capture that
is not empty), and ``{{``/``}}`` escapes; no format specs or attribute access — so a template can be
checked completely at load time and never fails at run time.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

_FORMATTER = string.Formatter()


def placeholders(template: str) -> list[str]:
    """The capture names a template uses; raises ``ValueError`` with a person-readable reason."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as exc:
        raise ValueError(f"key template '{template}': {exc}") from exc
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        alternatives = name.split("|")
        if not all(part.isidentifier() for part in alternatives) or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(
                f"key template '{template}': write placeholders as {{name}}, not '{{{written}}}'"
            )
        names.extend(alternatives)
    return names


def render(template: str, captures: Mapping[str, Any]) -> str:
    """Fill the template; a capture that did not occur renders empty; whitespace is collapsed."""
    parts = []
    for literal, name, _, _ in _FORMATTER.parse(template):
        parts.append(literal)
        if name is not None:
            value = next((v for v in map(captures.get, name.split("|")) if v not in (None, "", [])), "")
            parts.append(", ".join(map(str, value)) if isinstance(value, list) else str(value))
    return " ".join("".join(parts).split())
