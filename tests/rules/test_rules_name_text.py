"""A name as a rule captures it: the words around a name that the model's span or a parse run took in."""

from __future__ import annotations

import pytest

from monitor.rules.name_text import clean_name, not_a_name, without_titles
from monitor.rules.syntax_words import building, place_or_title


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Pune-based Aerovista", "Aerovista"),
        ("Abu Dhabi-based Gulf Star Trading", "Gulf Star Trading"),
        ("Dubai-registered Volgodar Shipping", "Volgodar Shipping"),
        ("Kazakh company Steppe Machinery", "Steppe Machinery"),
        ("Moldovan lawmaker Ilie Romanciuc", "Ilie Romanciuc"),
        ("Kazakh Steppe Machinery", "Kazakh Steppe Machinery"),  # no description: a name may start so
        ("the Rapid Support Forces", "Rapid Support Forces"),
        ("Bluefin Crewing Agency of Mumbai", "Bluefin Crewing Agency"),
        ("Meridian Ore Trading and", "Meridian Ore Trading"),
        ("WELLINGTON - New Zealand", "New Zealand"),
        ("LLC", ""),  # a legal ending alone is no name
    ],
)
def test_clean_name_keeps_the_name_only(written: str, name: str) -> None:
    assert clean_name(written) == name


def test_titles_and_nationality_before_a_person_go() -> None:
    assert without_titles("Kazakh President Kassym-Jomart Tokayev") == "Kassym-Jomart Tokayev"
    assert without_titles("Brigadier-General Tun Tun Oo") == "Tun Tun Oo"


def test_pm_before_a_surname_goes_so_the_surname_can_resolve() -> None:
    assert without_titles("PM Lee") == "Lee"
    assert without_titles("Gen Lee") == "Gen Lee"  # two words otherwise stay


def test_plural_titles_and_the_before_a_title_or_state_form_go() -> None:
    assert without_titles("Presidents Niyonkuru") == "Niyonkuru"  # "Presidents Niyonkuru and Rugamba"
    assert without_titles("the Colonel Braima Sambú") == "Braima Sambú"
    assert without_titles("the Republic Ousmane Ndiaye Faye") == "Ousmane Ndiaye Faye"
    assert without_titles("the Central Bank") == "the Central Bank"  # no title, no state: stays


@pytest.mark.parametrize(
    ("name", "is_building"),
    [
        ("Palazzo Chigi", True),
        ("Casa Rosada", True),
        ("Jubilee House", True),
        ("State Houses", True),
        ("Riga Castle", False),  # a place_or_title word (GEOGRAPHY), not a building() one
        ("Casa", False),
        ("Ilham Aliyev", False),
    ],
)
def test_where_leaders_meet_is_a_building_not_a_person(name: str, is_building: bool) -> None:
    assert building(name) is is_building


def test_a_castle_is_a_place() -> None:
    assert place_or_title("Riga Castle")
    assert not place_or_title("Trading House")  # companies keep their "House"


@pytest.mark.parametrize(
    "text",
    [
        "Feb",
        "Oct 8",
        "December 4th",
        "NZ$500,000",
        "the Head of State",
        "Head of Government",
        "Prime Ministers",
        "Moha Borvor",
        "LLC",
        "SARL",
    ],
)
def test_dates_sums_offices_titles_and_legal_endings_alone_are_no_names(text: str) -> None:
    assert not_a_name(text)


@pytest.mark.parametrize(
    "text", ["Hun Manet", "Kyrgyz Trans Commodity LLC", "Head Office Supplies Ltd", "Channel 4"]
)
def test_names_around_those_words_stay_names(text: str) -> None:
    assert not not_a_name(text)


def test_a_state_s_formal_name_before_a_person_goes() -> None:
    assert without_titles("Republic Thongloun Sisoulith") == "Thongloun Sisoulith"
    assert without_titles("Samdech Moha Borvor Thipadei Hun Manet") == "Hun Manet"
