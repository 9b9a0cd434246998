"""The vocabulary of news figures: magnitudes, currencies and units, each mapped to one canonical name.

Kept apart from the parser (quantities.py) so the tables can be read, reviewed and extended on their own.
Canonical units are what rules name: ``barrels_per_day``, ``barrels``, ``tonnes``, ``tonnes_per_year``,
``cubic_metres``, ``cubic_metres_per_day``, ``cubic_metres_per_year``, ``percent``, ``percentage_points``,
``basis_points``, ``currency:USD`` (a money amount), ``currency:USD/barrel`` (a price per unit) and
``count`` (a bare figure such as "137,000" or "2.33 million").

Ambiguous abbreviations are left out on purpose: "mt" (metric tons or million tonnes?), "mbpd"
(thousand or million?), "pounds" (money or weight?). A figure we cannot read for certain is not reported,
because a rule that compares figures is worse off with a wrong one than with none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# spelled-out magnitudes after a number, as powers of ten: "2.33 million", "1.2 bn", "500 crore"
MAGNITUDE_WORDS: dict[str, int] = {
    "thousand": 3,
    "million": 6,
    "mln": 6,
    "mn": 6,
    "billion": 9,
    "bln": 9,
    "bn": 9,
    "trillion": 12,
    "tn": 12,
    "trn": 12,
    "lakh": 5,
    "crore": 7,
}
# magnitudes glued to the number: "6.4m", "$700m", "1.2bn", "$3b", "10k"
MAGNITUDE_SUFFIXES: dict[str, int] = {"k": 3, "m": 6, "mn": 6, "b": 9, "bn": 9, "tn": 12}

# before the number: "$", "US$", "EUR ", "Rs "
CURRENCY_PREFIXES: dict[str, str] = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "c$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "aud": "AUD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "cny": "CNY",
    "rmb": "CNY",
    "₹": "INR",
    "inr": "INR",
    "rs": "INR",
    "rs.": "INR",
    "₽": "RUB",
    "rub": "RUB",
    "chf": "CHF",
}
# after the number: "5 million dollars", "300 billion roubles"
CURRENCY_WORDS: dict[str, str] = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "roubles": "RUB",
    "rubles": "RUB",
    "rupees": "INR",
    "swiss francs": "CHF",
    "pounds sterling": "GBP",
}


@dataclass(frozen=True)
class UnitForm:
    """One way of writing a unit: the regex that reads it, its canonical unit and the power of ten it implies."""

    pattern: str
    unit: str
    exponent: int = 0  # "mb/d" is million barrels per day: 6


_RATE_DAY = r"(?:\s*(?:per|a|each)\s+day|\s*/\s*d(?:ay)?\b|\s+daily)"
_RATE_YEAR = r"(?:\s*(?:per|a|each)\s+(?:year|annum)|\s*/\s*y(?:ea)?r?\b|\s+annually)"
_OF_OIL = r"(?:\s+of\s+(?:crude\s+oil|crude|oil(?:\s+equivalent)?|fuel|products|diesel|gasoline|condensate))?"
_BARRELS = r"(?:barrels?|bbls?)"
_TONNES = r"(?:tonnes?|metric\s+tons?|tons?)"
_CUBIC = r"(?:cubic\s+met(?:re|er)s?|cu\.?\s?m\b|m3\b|m³)"

# Longest forms first: the first alternative that matches at a position wins.
UNIT_FORMS: tuple[UnitForm, ...] = (
    # barrels per day
    UnitForm(r"mb/d\b|mbd\b", "barrels_per_day", 6),
    UnitForm(r"kb/d\b|kbd\b|kbpd\b", "barrels_per_day", 3),
    UnitForm(_BARRELS + _OF_OIL + _RATE_DAY, "barrels_per_day"),
    UnitForm(r"bpd\b|b/d\b|bbl/d(?:ay)?\b|bopd\b|boepd\b", "barrels_per_day"),
    # barrels
    UnitForm(_BARRELS + r"\b" + _OF_OIL, "barrels"),
    # tonnes
    UnitForm(r"mtpa\b|mtpy\b", "tonnes_per_year", 6),
    UnitForm(_TONNES + r"\b" + _RATE_YEAR, "tonnes_per_year"),
    UnitForm(r"tpa\b", "tonnes_per_year"),
    UnitForm(_TONNES + r"\b" + _RATE_DAY, "tonnes_per_day"),
    UnitForm(r"tpd\b", "tonnes_per_day"),
    UnitForm(_TONNES + r"\b", "tonnes"),
    # cubic metres, including the gas industry's bcm / mcm / tcm
    UnitForm(r"bcm\b" + _RATE_YEAR, "cubic_metres_per_year", 9),
    UnitForm(r"bcm\b" + _RATE_DAY, "cubic_metres_per_day", 9),
    UnitForm(r"bcm\b", "cubic_metres", 9),
    UnitForm(r"mcm\b" + _RATE_DAY, "cubic_metres_per_day", 6),
    UnitForm(r"mcm\b" + _RATE_YEAR, "cubic_metres_per_year", 6),
    UnitForm(r"mcm\b", "cubic_metres", 6),
    UnitForm(r"tcm\b", "cubic_metres", 12),
    UnitForm(_CUBIC + _RATE_DAY, "cubic_metres_per_day"),
    UnitForm(_CUBIC + _RATE_YEAR, "cubic_metres_per_year"),
    UnitForm(_CUBIC, "cubic_metres"),
    # shares of a whole
    UnitForm(r"%|per\s?cent\b|pct\b|p\.c\.", "percent"),
    UnitForm(r"percentage\s+points?\b|pp\b|ppts?\b", "percentage_points"),
    UnitForm(r"basis\s+points?\b|bps\b", "basis_points"),
)

# "$65.30 a barrel", "€40 per tonne", "$3.10/mmBtu": a price, not a volume
PER_UNIT_WORDS: dict[str, str] = {
    "barrel": "barrel",
    "bbl": "barrel",
    "tonne": "tonne",
    "ton": "tonne",
    "metric ton": "tonne",
    "mmbtu": "mmbtu",
    "ounce": "ounce",
    "oz": "ounce",
    "bushel": "bushel",
    "gallon": "gallon",
    "litre": "litre",
    "liter": "litre",
    "share": "share",
    "megawatt hour": "mwh",
    "mwh": "mwh",
}

# Words that say what a figure is about. Surface forms, because rules name them the way articles write
# them ("near: [export, exports, shipments]").
GOVERNORS: frozenset[str] = frozenset(
    """
    export exports exported exporting exporter exporters shipments shipment shipped shipping loadings
    overseas abroad seaborne designed carry carrying
    import imports imported importing importer importers purchases purchased buying bought
    output production produced producing produces pumped pumping supply supplies supplied
    demand consumption consumed refining throughput runs capacity handle process processes processed processing
    stocks stockpiles inventories inventory reserves storage flows flow deliveries delivered transit
    sales sold revenue revenues profit profits earnings income loss losses
    price prices priced cost costs tariff tariffs tax taxes duty duties fine fined penalty
    budget deficit surplus debt spending investment investments aid assistance funding loan loans
    inflation growth gdp unemployment rate rates yield yields dividend valuation stake
    cut cuts quota quotas cap ceiling target forecast estimate
    """.split()  # noqa: SIM905 - a word table reads better than a column of quoted strings
)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so "bn" never stops "bln" from matching."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
