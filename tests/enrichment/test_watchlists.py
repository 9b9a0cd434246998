"""Watch-list files: the shipped lists load, and every mistake in a file is reported at once, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.enrichment import load_watchlists
from monitor.enrichment.names import NameMatcher
from monitor.enrichment.watchlists import watchlist_files
from monitor.errors import ConfigError

from .conftest import RULES


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_watch_lists_load() -> None:
    lists = {w.name: w for w in load_watchlists(watchlist_files([RULES / "watchlists"]))}
    assert {"companies", "people", "sources"} <= set(lists)
    rosneft = next(e for e in lists["companies"].entries if e.canonical == "Rosneft")
    assert rosneft.label == "ORG" and "NK Rosneft" in rosneft.names and rosneft.key == "companies/Rosneft"


def test_an_entry_may_be_a_bare_name_and_inherits_the_lists_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "leaders.yaml",
        "label: PERSON\ncase_sensitive: true\nentries:\n  - Ulf Kristersson\n"
        "  - {name: Maria Zakharova, aliases: Zakharova, case_sensitive: false}\n",
    )
    (watchlist,) = load_watchlists([path])
    plain, aliased = watchlist.entries
    assert watchlist.name == "leaders"  # from the file name
    assert (plain.canonical, plain.names, plain.label, plain.case_sensitive) == (
        "Ulf Kristersson",
        ("Ulf Kristersson",),
        "PERSON",
        True,
    )
    assert (aliased.names, aliased.case_sensitive) == (("Maria Zakharova", "Zakharova"), False)
    assert str(plain.location) == f"{path}:4:5"


def test_every_problem_in_every_file_is_reported_at_once_with_its_location(tmp_path: Path) -> None:
    first = _write(
        tmp_path,
        "a.yaml",
        "watchlist: firms\nlabel: COMPANY\nentries:\n"
        "  - name: Acme Oil\n    alias: [Acme]\n"
        "  - {aliases: [Nameless]}\n",
    )
    second = _write(
        tmp_path, "b.yaml", "entries:\n  - name: ACME OIL\n  - name: Vela\n    case_sensitive: maybe\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_watchlists([first, second])
    problems = {str(p.location): p for p in raised.value.problems}
    assert problems[f"{first}:2:8"].message == "unknown entity label 'COMPANY'"
    assert problems[f"{first}:5:5"].message == "unknown key 'alias'"
    assert problems[f"{first}:5:5"].hint == "did you mean 'aliases'?"
    assert problems[f"{first}:6:5"].message == "missing 'name'"
    assert problems[f"{second}:4:21"].message == "'case_sensitive' must be true or false"
    duplicate = problems[f"{second}:2:5"]
    assert duplicate.message == "'ACME OIL' is listed for both 'firms/Acme Oil' and 'b/ACME OIL'"
    assert duplicate.hint == f"first at {first}:4:5"
    assert len(raised.value.problems) == 5


def test_a_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.yaml", "entries:\n  - name: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        load_watchlists([path])
    (problem,) = raised.value.problems
    assert problem.message.startswith("YAML syntax error") and problem.location.file == str(path)


def test_a_list_name_may_be_used_once(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", "watchlist: firms\nentries: [Acme]\n")
    b = _write(tmp_path, "b.yaml", "watchlist: firms\nentries: [Vela]\n")
    with pytest.raises(ConfigError, match="watch list 'firms' is defined twice"):
        load_watchlists([a, b])


def test_a_missing_file_and_an_empty_entry_list_are_errors(tmp_path: Path) -> None:
    empty = _write(tmp_path, "empty.yaml", "watchlist: nothing\nentries: []\n")
    with pytest.raises(ConfigError) as raised:
        load_watchlists([tmp_path / "absent.yaml", empty])
    messages = sorted(p.message for p in raised.value.problems)
    assert messages == ["'entries' must be a non-empty list", "watch-list file not found"]


def test_a_folder_means_its_yaml_files_in_name_order(tmp_path: Path) -> None:
    _write(tmp_path, "b.yml", "entries: [Vela]\n")
    _write(tmp_path, "a.yaml", "entries: [Acme]\n")
    _write(tmp_path, "notes.txt", "not a watch list\n")
    assert [p.name for p in watchlist_files([tmp_path])] == ["a.yaml", "b.yml"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("President Biden met Xi Jinping.", ["Joe Biden", "Xi Jinping"]),
        ("Then Biden said no.", ["Joe Biden"]),
        ("Presidents Putin and Trump met.", ["Vladimir Putin", "Donald Trump"]),
        ("Secretary of State Rubio said so.", ["Marco Rubio"]),
        ("US President-elect Trump spoke.", ["Donald Trump"]),
        ("Russia's Putin spoke.", ["Vladimir Putin"]),
        ("Bola Ahmed Tinubu flew to Pretoria.", ["Bola Tinubu"]),
        ("Recep Erdogan spoke.", ["Recep Tayyip Erdogan"]),
        ("They met at the White House. Trump said so.", ["Donald Trump"]),
        ("His son Hunter Biden was charged.", []),
        ("Hunter Biden was charged.", ["Joe Biden"]),  # a sentence's first word may or may not be a name
        ("No Putin visit is planned.", ["Vladimir Putin"]),
        ("His wife Melania Trump said so.", []),
        ("said Hunter S. Biden, his son", []),
        ("A teacher, Priya Macron, said so.", []),
        ("Putin Hosts Modi In Moscow", ["Vladimir Putin", "Narendra Modi"]),  # Title Case: no first names
    ],
)
def test_a_listed_surname_after_another_first_name_is_someone_else(text: str, found: list[str]) -> None:
    matcher = NameMatcher(load_watchlists(watchlist_files([RULES / "watchlists"])))

    assert [m.entry.canonical for m in matcher.find(text) if m.entry.label == "PERSON"] == found


def test_a_country_after_a_first_name_is_part_of_a_persons_name() -> None:
    matcher = NameMatcher(load_watchlists(watchlist_files([RULES / "watchlists"])))
    text = "Spain's prime minister met his counterpart, Jorge Montenegro, and the leaders of Montenegro and Malawi."

    assert [(text[m.start : m.end], m.entry.label) for m in matcher.find(text)] == [
        ("Spain", "GPE"),
        ("Montenegro", "GPE"),
        ("Malawi", "GPE"),
    ]
    assert matcher.find(text)[1].start == text.index("of Montenegro") + 3
