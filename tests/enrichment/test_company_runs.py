"""``company_runs``: company names found by their legal suffix, where the model found none or only a part."""

from __future__ import annotations

import pytest

from monitor.enrichment.company_runs import company_runs


def _names(text: str) -> list[str]:
    return [text[start:end] for start, end in company_runs(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The EU listed Polesye Aero Repair JSC and Neman Logistics.", ["Polesye Aero Repair JSC"]),
        ("On Monday Orlov Bunkering JSC was listed.", ["Orlov Bunkering JSC"]),  # "On Monday" is no name
        ("It fined the Minsk-registered Orlov Bunkering JSC.", ["Orlov Bunkering JSC"]),
        ("It named Russia's Orlov Bunkering JSC.", ["Orlov Bunkering JSC"]),
        ("It listed Alfa Bank and Vneshtorgbank JSC.", ["Vneshtorgbank JSC"]),  # "and" joins two names
        ("It named the broker Bank of Kunlun Co Ltd.", ["Bank of Kunlun Co Ltd."]),
        ("It named the builder Constructora Lemus y Asociados SA.", ["Constructora Lemus y Asociados SA"]),
        ("Indus Precision Works (Pvt) Ltd shipped parts.", ["Indus Precision Works (Pvt) Ltd"]),
        ("Acme Holdings, Inc. said nothing.", ["Acme Holdings, Inc."]),
        ("He was arrested in Minsk. Orlov Bunkering JSC denied it.", ["Orlov Bunkering JSC"]),
        ("It named the trader Selatan Maju Logistics Sdn Bhd.", ["Selatan Maju Logistics Sdn Bhd"]),
        ("1. Mangrove Petrochemical FZE and its chief were listed.", ["Mangrove Petrochemical FZE"]),
        ("It named the refiner Al Noor Bullion Refinery FZE.", ["Al Noor Bullion Refinery FZE"]),
        ("It named the broker Vernet Freres et Fils SA.", ["Vernet Freres et Fils SA"]),
        ("It named the hauler Grupo Logístico Tres Ríos SA de CV.", ["Grupo Logístico Tres Ríos SA de CV"]),
    ],
)
def test_a_name_runs_back_from_its_suffix_over_its_capitalised_words(text: str, names: list[str]) -> None:
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "EU Sanctions Hit Orlov Bunkering JSC Over Arctic Fuel",  # a Title Case headline
        "EU SANCTIONS AS PRICES RISE",  # capitals
        "the shares of the company rose, SA said",  # no name before the suffix
    ],
)
def test_headlines_capitals_and_suffixes_without_a_name_give_nothing(text: str) -> None:
    assert _names(text) == []
