"""docs/rules.md stays true: every key and predicate is documented, and its example rule loads and passes."""

from __future__ import annotations

import re

import pytest

from monitor.rules import load_rules, predicate_kinds, run_examples
from monitor.rules.quantities import QuantitySpec
from monitor.rules.schema import (
    FlatlineSpec,
    FrequencySpec,
    NewTermSpec,
    RuleMeta,
    SelectionOptions,
    StateBody,
    ThrottleSpec,
    WithinSpec,
)
from tests.rules.conftest import REPO, RuleFiles

DOC = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"^\| `([a-z_]+)` \|", DOC, flags=re.MULTILINE))
MENTIONED = set(re.findall(r"`([a-z_]+)`", DOC))

KEYS = [*RuleMeta.model_fields, *StateBody.model_fields, *SelectionOptions.model_fields, *predicate_kinds()]
KEYS += [*QuantitySpec.model_fields, *WithinSpec.model_fields]
SUB_KEYS = [*NewTermSpec.model_fields, *FrequencySpec.model_fields, *FlatlineSpec.model_fields]
SUB_KEYS += [*ThrottleSpec.model_fields]


@pytest.mark.parametrize("key", KEYS)
def test_every_key_and_predicate_has_a_row_in_the_reference(key: str) -> None:
    assert key in DOCUMENTED


@pytest.mark.parametrize("key", SUB_KEYS)
def test_every_memory_key_is_explained(key: str) -> None:
    assert key in MENTIONED


def test_the_example_rule_at_the_top_of_the_reference_loads_and_its_examples_pass(
    rule_files: RuleFiles,
) -> None:
    first_rule = re.search(r"```yaml\n(version: 1\n.*?)```", DOC, flags=re.DOTALL)
    assert first_rule is not None
    rule_files.write("doc.yaml", first_rule.group(1))
    ruleset = load_rules([rule_files.root])
    assert ruleset.warnings == ()
    assert [(r.rule_id, r.ok, r.message) for r in run_examples(ruleset)] == [
        ("sanctions-new", True, ""),
        ("sanctions-new", True, ""),
    ]
