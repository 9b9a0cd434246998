"""The figure reader: every common news form of a number, its unit normalised, and what it is about."""

from __future__ import annotations

import pytest

from monitor.enrichment import find_quantities, parse_quantity

# (as written, value, canonical unit)
FORMS = [
    # barrels per day in all the ways news writes it
    ("2.33 million barrels per day", 2_330_000, "barrels_per_day"),
    ("850,000 barrels a day", 850_000, "barrels_per_day"),
    ("1.15 million bpd", 1_150_000, "barrels_per_day"),
    ("600,000 b/d", 600_000, "barrels_per_day"),
    ("3.1 million b/d", 3_100_000, "barrels_per_day"),
    ("2.3 mb/d", 2_300_000, "barrels_per_day"),
    ("850 kb/d", 850_000, "barrels_per_day"),
    ("400,000 bbl/d", 400_000, "barrels_per_day"),
    ("1.2 million barrels of oil per day", 1_200_000, "barrels_per_day"),
    ("90,000 barrels of crude a day", 90_000, "barrels_per_day"),
    ("5m bpd", 5_000_000, "barrels_per_day"),
    ("137,000 barrels per day", 137_000, "barrels_per_day"),
    # barrels
    ("12 million barrels", 12_000_000, "barrels"),
    ("12 million barrels of oil", 12_000_000, "barrels"),
    ("500,000 bbl", 500_000, "barrels"),
    # tonnes
    ("3.2 million tonnes", 3_200_000, "tonnes"),
    ("6.4m tonnes", 6_400_000, "tonnes"),
    ("900,000 tons", 900_000, "tonnes"),
    ("1.5 million metric tons", 1_500_000, "tonnes"),
    ("a 1,000-tonne cargo", 1_000, "tonnes"),
    ("10 mtpa", 10_000_000, "tonnes_per_year"),
    ("1.2 million tonnes per year", 1_200_000, "tonnes_per_year"),
    # cubic metres and the gas industry's units
    ("5 bcm", 5_000_000_000, "cubic_metres"),
    ("40 bcm a year", 40_000_000_000, "cubic_metres_per_year"),
    ("42 mcm/d", 42_000_000, "cubic_metres_per_day"),
    ("42 million cubic metres a day", 42_000_000, "cubic_metres_per_day"),
    ("15.5 billion cubic meters", 15_500_000_000, "cubic_metres"),
    ("10 m3", 10, "cubic_metres"),
    # money
    ("$700m", 700_000_000, "currency:USD"),
    ("$134bn", 134_000_000_000, "currency:USD"),
    ("$350 Billion", 350_000_000_000, "currency:USD"),
    ("US$2.5bn", 2_500_000_000, "currency:USD"),
    ("USD 5 million", 5_000_000, "currency:USD"),
    ("5 million dollars", 5_000_000, "currency:USD"),
    ("€3bn", 3_000_000_000, "currency:EUR"),
    ("£1.5 billion", 1_500_000_000, "currency:GBP"),
    ("151 billion roubles", 151_000_000_000, "currency:RUB"),
    ("Rs 500 crore", 5_000_000_000, "currency:INR"),
    ("$65.30 a barrel", 65.30, "currency:USD/barrel"),
    ("$84 per barrel", 84, "currency:USD/barrel"),
    ("$3.10/mmBtu", 3.10, "currency:USD/mmbtu"),
    ("€40 a tonne", 40, "currency:EUR/tonne"),
    # shares of a whole
    ("30 per cent", 30, "percent"),
    ("30%", 30, "percent"),
    ("28 percent", 28, "percent"),
    ("54 p.c.", 54, "percent"),
    ("4.5 pct", 4.5, "percent"),
    ("0.5 percentage points", 0.5, "percentage_points"),
    ("25 basis points", 25, "basis_points"),
    # bare figures, when they are clearly figures
    ("2.33 million", 2_330_000, "count"),
    ("3,380,000", 3_380_000, "count"),
    ("6.4m", 6_400_000, "count"),
    ("1.2bn", 1_200_000_000, "count"),
    ("137,000", 137_000, "count"),
    ("21,692 sanctions", 21_692, "count"),
]


@pytest.mark.parametrize(("written", "value", "unit"), FORMS, ids=[form[0] for form in FORMS])
def test_a_news_figure_is_read_into_a_canonical_unit(written: str, value: float, unit: str) -> None:
    assert parse_quantity(written) == (pytest.approx(value), unit)


NOT_FIGURES = [
    "2024",  # a year
    "July 8",  # a date
    "50 minutes",  # a bare small number
    "7.30pm",  # a time
    "Boeing 737",  # a model number
    "COVID-19",  # part of a name
    "G20",
    "version 3.8.0",
    "65 a barrel",  # a price without a currency: which currency?
    "5 pounds",  # money or weight? not guessed
    "12 mt",  # metric tons or million tonnes? not guessed
    "one hundred percent",  # spelled-out numbers are not read
]


@pytest.mark.parametrize("written", NOT_FIGURES)
def test_numbers_that_are_not_figures_are_not_reported(written: str) -> None:
    assert parse_quantity(written) is None


def test_a_price_per_barrel_is_money_not_a_volume() -> None:
    (price,) = find_quantities("Brent crude rose 1.4% to $65.30 a barrel after the decision.")[1:]
    assert (price.value, price.unit) == (pytest.approx(65.30), "currency:USD/barrel")


def test_the_nearest_governing_word_says_what_a_figure_is_about() -> None:
    text = (
        "Seaborne crude exports rose to 2.4 million bpd in March. "
        "Output was steady at 137,000 barrels per day of output from the field. "
        "Crude imports reached 4.8 million barrels per day, customs data showed."
    )
    starts = [0, text.index("Output"), text.index("Crude imports")]
    exports, output, imports = find_quantities(text, starts)
    assert exports.governors[0] == "exports" and exports.unit == "barrels_per_day"
    assert output.governors == ("output",)
    assert (imports.governors[0], imports.sentence) == ("imports", 2)


def test_governors_come_from_the_figures_own_sentence_only() -> None:
    text = "Exports fell sharply. The terminal handled 300,000 b/d last week."
    (figure,) = find_quantities(text, [0, text.index("The")])
    assert figure.governors == ()
    assert figure.sentence == 1


def test_spans_are_character_offsets_into_the_text() -> None:
    text = "Russia's exports held at 2.33 million barrels per day in October, per LSEG data."
    (figure,) = find_quantities(text)
    assert text[figure.start : figure.end] == figure.text == "2.33 million barrels per day"
    assert figure.value == 2_330_000 and figure.governors == ("exports",)


def test_every_figure_in_a_paragraph_is_found_in_order() -> None:
    text = "The tariff rose by 25 per cent to 50 per cent, costing $700m; 2024 output was 3.2 million tonnes."
    assert [(q.value, q.unit) for q in find_quantities(text)] == [
        (25, "percent"),
        (50, "percent"),
        (700_000_000, "currency:USD"),
        (3_200_000, "tonnes"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Norway exported close to two million barrels a day of crude.", 2_000_000, "barrels_per_day"),
        ("Shipments ran at roughly half a million barrels a day.", 500_000, "barrels_per_day"),
        ("Exports averaged two and a half million barrels per day.", 2_500_000, "barrels_per_day"),
        ("One and a half million bpd left the terminals.", 1_500_000, "barrels_per_day"),
        ("Exports held near one point two million barrels a day.", 1_200_000, "barrels_per_day"),
        ("Loadings slipped to two point zero five million bpd.", 2_050_000, "barrels_per_day"),
        ("It exported six hundred and forty thousand barrels per day.", 640_000, "barrels_per_day"),
        ("Loadings reached a million bpd for the first time.", 1_000_000, "barrels_per_day"),
        ("The plant makes twelve thousand tonnes a year.", 12_000, "tonnes_per_year"),
    ],
)
def test_a_figure_written_in_words_with_a_unit_is_read(text: str, value: float, unit: str) -> None:
    (figure,) = find_quantities(text)
    assert (figure.value, figure.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "Two million people voted.",  # words without a unit are not a figure
        "The two barrels a day it leaks are a nuisance.",  # below a hundred: not a volume news reports
    ],
)
def test_numbers_in_words_without_a_unit_or_too_small_are_not_figures(text: str) -> None:
    assert find_quantities(text) == []


def test_digits_and_words_in_one_sentence_are_two_figures_not_three() -> None:
    found = find_quantities("Exports of 2.4 million bpd beat the two million barrels a day forecast.")
    assert [(q.text, q.value) for q in found] == [
        ("2.4 million bpd", 2_400_000),
        ("two million barrels a day", 2_000_000),
    ]
