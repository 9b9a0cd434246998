"""Rule types: ``type: match`` and ``type: state`` register here; a new type plugs in without a rewrite.

A rule type is a body model (the keys only that type accepts) and a builder that turns a validated body
into a ``Matcher`` (which may bring its own gate, as ``state`` does). Metadata, examples, keys, memory
and the loader are shared by all types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from monitor.rules.compiled import Matcher
from monitor.rules.reporter import Reporter

DEFAULT_TYPE = "match"


@dataclass(frozen=True)
class RuleType:
    name: str
    body: type[BaseModel]
    build: Callable[[Any, Reporter], Matcher | None]
    summary: str


_REGISTRY: dict[str, RuleType] = {}


def register_rule_type(rule_type: RuleType) -> RuleType:
    if rule_type.name in _REGISTRY:
        raise ValueError(f"rule type '{rule_type.name}' is already defined")
    _REGISTRY[rule_type.name] = rule_type
    return rule_type


def rule_types() -> Mapping[str, RuleType]:
    return dict(_REGISTRY)
