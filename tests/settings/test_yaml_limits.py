"""YAML that expands without limit ("billion laughs") or is huge is refused with a located error, quickly."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError, RuleError
from monitor.rules import check_rules, load_rules
from monitor.settings import load_settings
from monitor.settings.yaml_source import MAX_ALIAS_NODES, MAX_YAML_BYTES, load_documents, load_file


def laughs(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """The classic alias bomb: each level lists the previous one ``width`` times (width**levels values)."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"{indent}l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(30)
def test_an_alias_bomb_in_the_config_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    config = tmp_path / "newsmon.yaml"
    config.write_text("x-defaults:\n" + laughs(indent="  "), encoding="utf-8")
    assert len(config.read_bytes()) < 8192
    with pytest.raises(ConfigError) as caught:
        load_settings(config, {})
    [problem] = caught.value.problems
    assert problem.message == f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values"
    assert problem.location.file == str(config)
    assert problem.location.line is not None and problem.location.line > 2


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "bomb", [laughs(), laughs() + "m: {<<: {big: *l8}}\n"], ids=["aliases", "through a merge key"]
)
def test_an_alias_bomb_in_a_rule_file_is_a_located_error(tmp_path: Path, bomb: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    path = rules / "bomb.yaml"
    path.write_text("id: bomb\ntitle: Bomb\nmatch: {a: {phrases: [x]}}\n" + bomb, encoding="utf-8")
    with pytest.raises(RuleError) as caught:  # start-up and SIGHUP reload load rules this way
        load_rules([rules])
    [problem] = caught.value.problems
    assert problem.message == f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} values"
    assert str(problem.location).startswith(f"{path}:")
    assert [p.message for p in check_rules([rules])] == [problem.message]


def test_ordinary_aliases_and_merge_keys_still_work() -> None:
    [document] = load_documents(
        "base: &base {interval_s: 60, tags: [a, b]}\nfeeds:\n  - {<<: *base, url: x}\n  - *base\n", "c.yaml"
    )
    assert document.problems == []
    assert document.data["feeds"] == [
        {"interval_s": 60, "tags": ["a", "b"], "url": "x"},
        {"interval_s": 60, "tags": ["a", "b"]},
    ]


def test_a_bomb_just_under_the_limit_is_accepted() -> None:
    [document] = load_documents(laughs(levels=4), "ok.yaml")  # 8,289 values copied
    assert document.problems == []


def test_an_oversize_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_YAML_BYTES + b"\n")
    [document] = load_file(path)
    assert [str(p) for p in document.problems] == [f"{path}: file is larger than 8 MiB"]
