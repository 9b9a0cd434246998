"""A name as a rule captures it: the words around a name that the model's span or a parse run took in."""

from __future__ import annotations

import pytest

from monitor.rules.name_text import clean_name, without_titles


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
