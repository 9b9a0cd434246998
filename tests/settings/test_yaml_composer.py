"""Config, rule and watch-list files are composed by libyaml when PyYAML has it: it must place every value
where PyYAML's own parser does, since each error names its file:line:column."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from monitor.settings.yaml_source import _COMPOSER, load_documents

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(
    [
        *(REPO / "rules").glob("*.yaml"),
        *(REPO / "rules" / "watchlists").glob("*.yaml"),
        *(REPO / "config").glob("*.yaml"),
    ]
)


def _marks(node: yaml.Node) -> Iterator[tuple[str, int, int]]:
    yield node.tag, node.start_mark.line, node.start_mark.column
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _marks(key)
            yield from _marks(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _marks(item)


@pytest.mark.skipif(_COMPOSER is yaml.SafeLoader, reason="PyYAML built without libyaml: nothing to compare")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_libyaml_places_every_value_where_pyyaml_does(path: Path) -> None:
    text = path.read_text()
    fast = [list(_marks(n)) for n in yaml.compose_all(text, Loader=_COMPOSER)]
    slow = [list(_marks(n)) for n in yaml.compose_all(text, Loader=yaml.SafeLoader)]
    assert fast == slow


def test_a_syntax_error_keeps_pyyamls_wording() -> None:
    (document,) = load_documents("id: r1\ntitle: [unclosed\n", "r.yaml")
    assert [str(p) for p in document.problems] == [
        "r.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"
    ]
