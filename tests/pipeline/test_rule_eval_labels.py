"""Label files for ``newsmon rules eval``: the documented format loads; every mistake is located, at once."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import LabelError
from monitor.pipeline.rule_eval import load_labels
from monitor.rules import load_rules

LABELS = Path(__file__).parent / "labels"

GOOD = """\
- id: a-1
  story: st-1
  source: Harbor Wire
  published: 2026-03-02T09:15:00Z
  title: Treasury blacklists a shipping network
  text: |
    The body.
  class: unnamed-target
  expect:
    sanctions-new:
      target: [Northwind Petroleum, Ivan Petrov]
      counts: {people: 14, companies: 6}
    summit-status: {state: cancelled}
- id: a-2
  published: "2026-03-02T10:00:00+01:00"
  text: Nothing happens here.
  expect: {}
- id: a-3
  published: 2026-03-03T10:00:00Z
  text: A match with nothing checked.
  expect:
    oil-export-figure:
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_documented_format_loads(tmp_path: Path) -> None:
    [first, second, third] = load_labels([write(tmp_path, "good.yaml", GOOD)])
    assert (first.id, first.story, first.source, first.phrasing) == (
        "a-1",
        "st-1",
        "Harbor Wire",
        "unnamed-target",
    )
    assert first.published == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert first.title == "Treasury blacklists a shipping network" and first.text == "The body."
    assert set(first.expect) == {"sanctions-new", "summit-status"}
    assert first.expect["sanctions-new"].captures == {
        "target": ["Northwind Petroleum", "Ivan Petrov"],
        "counts": {"people": 14, "companies": 6},
    }
    assert str(first.expect["sanctions-new"].location) == f"{tmp_path / 'good.yaml'}:10:5"
    assert str(first.location) == f"{tmp_path / 'good.yaml'}:1:7"
    assert second.expect == {} and second.source == "labels" and second.story is None
    assert second.published == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert third.expect["oil-export-figure"].captures == {}


def test_folders_are_read_recursively_in_name_order_skipping_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / "sub", "b.yaml", "- {id: b, published: 2026-01-01T00:00:00Z, text: t}\n")
    write(tmp_path, "a.yml", "- {id: a, published: 2026-01-01T00:00:00Z, text: t}\n")
    write(tmp_path / ".hidden", "c.yaml", "- {id: c, published: 2026-01-01T00:00:00Z, text: t}\n")
    write(tmp_path, "notes.txt", "not labels")
    assert [label.id for label in load_labels([tmp_path])] == ["a", "b"]


BAD = """\
- id: x-1
  published: 2026-03-02T09:15:00Z
  text: fine
  titel: A typo
- id: x-2
  published: 2026-03-02 09:15
  text: a naive time
- id: x-3
  text: no date
  published: 2026-03-02
- id: x-1
  published: 2026-03-02T09:15:00Z
  text: a duplicate id
- id: x-5
  published: 2026-03-02T09:15:00Z
  expect: {sanctions-new: {target: [{name: X}]}, summit-status: cancelled}
- just a string
- id: x-7
  published: 2026-03-02T09:15:00Z
  text: [not, text]
  expect: [sanctions-new]
"""


def test_every_mistake_is_reported_at_once_with_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", BAD)
    with pytest.raises(LabelError) as caught:
        load_labels([path])
    found = [str(problem) for problem in caught.value.problems]
    assert found == [
        f"{path}:4:3: unknown key 'titel' (did you mean 'title'?)",
        f"{path}:6:14: 'published' has no time zone (end it with Z (UTC) or +01:00)",
        f"{path}:10:14: 'published' is not a date and time (write 2026-03-02T09:15:00Z)",
        f"{path}:11:7: duplicate id 'x-1' (first used at {path}:1:7)",
        f"{path}:14:3: article without 'text'",
        f"{path}:16:36: capture 'target': a list holds only text and numbers, not a mapping",
        f"{path}:16:65: the expectation of 'summit-status' must map capture names to values "
        "(or {} to check only that it matches)",
        f"{path}:17:3: an article is a mapping (id, published, text…)",
        f"{path}:20:9: 'text' must be text, not a list",
        f"{path}:21:11: 'expect' maps rule ids to their expected captures (or {{}} for none)",
    ]


def test_a_name_split_at_its_own_comma_in_a_flow_list_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "split.yaml",
        "- id: s-1\n  published: 2026-01-01T00:00:00Z\n  text: t\n  expect:\n"
        "    sanctions-new: {target: [Hexin Microelectronics Co., Ltd., Pak Yong Il]}\n",
    )
    with pytest.raises(LabelError) as caught:
        load_labels([path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:5:29: capture 'target': 'Ltd.' is not a name but the end of the one before it: "
        'quote that name ("X Co., Ltd.")'
    ]


def test_duplicate_ids_across_files_name_the_first_place(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "- {id: same, published: 2026-01-01T00:00:00Z, text: t}\n")
    second = write(tmp_path, "b.yaml", "\n- id: same\n  published: 2026-01-01T00:00:00Z\n  text: t\n")
    with pytest.raises(LabelError) as caught:
        load_labels([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{second}:2:7: duplicate id 'same' (first used at {first}:1:8)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: x\ntext: t\n", ":1:1: a label file is a YAML list of articles (start each with '- id: …')"),
        ("- id: x\n  text: [unclosed\n", ":3:1: YAML syntax error"),
        ("- id: x\n  id: y\n", ":2:3: duplicate key 'id'"),
    ],
)
def test_a_file_that_is_not_a_list_of_articles_is_a_located_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "odd.yaml", text)
    with pytest.raises(LabelError) as caught:
        load_labels([path])
    assert any(str(p).startswith(f"{path}{message}") for p in caught.value.problems), caught.value.problems


def test_no_label_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="no label files"):
        load_labels([tmp_path])


def test_the_bundled_test_labels_load() -> None:
    assert [label.id for label in load_labels([LABELS])][:2] == ["t-port-001", "t-port-002"]


def test_labels_under_a_rules_eval_folder_are_not_loaded_as_rules(tmp_path: Path) -> None:
    (tmp_path / "eval" / "dev").mkdir(parents=True)
    write(tmp_path, "strike.yaml", "id: strike\ntitle: Strike\nmatch:\n  a: {phrases: [strike]}\n")
    write(tmp_path / "eval" / "dev", "labels.yaml", GOOD)
    assert load_rules([tmp_path]).ids == ("strike",)
    assert [label.id for label in load_labels([tmp_path / "eval"])] == ["a-1", "a-2", "a-3"]
