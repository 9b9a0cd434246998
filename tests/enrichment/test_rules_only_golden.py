"""The rules-only pipeline gives exactly what it gave before it was made faster.

``golden/rules_only.json`` holds what the rules-only ``Enricher.enrich`` returned for the articles below
(entities, figures with their governors, the story signature as stored) before sentence splitting, the
figure governors and the MinHash were rewritten for speed. The articles are written to reach the corners
those rewrites had to keep: figures at the start and end of sentences, several figures in one sentence,
a unit that ends inside a word ("barrels of oilfield"), abbreviations and initials before capitals, line
breaks, non-ASCII words, and a long article whose words repeat.

If a change to enrichment is *meant* to change these results, regenerate the file with
``python -m tests.enrichment.test_rules_only_golden`` and say why in the commit.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitor.domain import Article, Enrichment
from monitor.enrichment import Enricher

from .conftest import T0, make_article

GOLDEN = Path(__file__).resolve().parent / "golden" / "rules_only.json"

ARTICLES: list[tuple[str, str, str]] = [  # (title, summary, content)
    (
        "Rosneft cuts crude exports to 2.33 million bpd",
        "",
        "Russia's seaborne crude exports fell to 2.33 million barrels per day in the week to Sunday, "
        "per LSEG data. Output at NK Rosneft was 137,000 b/d of output lower.\n"
        "Mr. Ivanov of Kpler said prices rose to $65.30 a barrel! Imports by India were 1.2 million "
        "barrels of oil per day, down 30 per cent.\n"
        "The U.S. Treasury said on Oct. 22 that Lukoil and Rosneft Oil Company face sanctions. "
        "J. P. Morgan estimated losses of $700m and 151 billion roubles.",
    ),
    (
        "Gas flows via TurkStream",
        "Flows of 42 mcm/d, at 5 bcm a year.",
        "Gazprom said gas flows through the pipeline reached 42 million cubic metres a day.\n\n"
        "Storage stood at 15.5 billion cubic meters, revenue at €3bn and profit at US$2.5bn, while the "
        "budget deficit was Rs 500 crore.   Storage of 12 million barrels of oilfield supplies rose "
        "and 5 barrels of oil; 7.30pm was when 1.5x the 2024 quota was met.\n"
        "“Exports will recover,” said the minister. (Production was 850 kb/d.) Naïve forecasts put "
        "demand at 3,380,000 tonnes per year — a 1,000-tonne cargo a day.",
    ),
    (
        "İstanbul café prices",
        "",
        "Prices in İstanbul's cafés rose 4.5 percentage points; the central bank's rate is 50 bps "
        "higher. Café owners' costs: ₹1,200 per tonne, ¥3bn, CHF 40 each ounce.\n"
        "e.g. exportsfoo 5bpd 2.2.2 abc123 x_y 10k 6.4m tonnes.",
    ),
    (
        "Budapest summit called off",
        "",
        " ".join(
            f"Paragraph {n}: officials said sanctions on Rosneft and Lukoil would cut exports by "
            f"{n * 100_000:,} barrels a day, and prices rose to ${60 + n}.{n} a barrel."
            + ("\n" if n % 3 == 0 else "")
            for n in range(1, 16)
        ),
    ),
]


def _articles() -> list[Article]:
    return [
        make_article(content, title, id=n, summary=summary, published_at=T0 + timedelta(minutes=n))
        for n, (title, summary, content) in enumerate(ARTICLES, start=1)
    ]


def _as_data(enrichment: Enrichment) -> dict[str, Any]:
    """The enrichment as JSON data; the signature stays the text that is stored, compared byte for byte."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(enrichment)))  # tuples as lists, as in the file
    data.pop("parses", None)  # syntax for rules came later (branch rulelang); the golden predates it
    return data


def test_rules_only_enrichment_is_unchanged(blank_enricher: Enricher) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [_as_data(e) for e in blank_enricher.enrich(_articles())] == expected


if __name__ == "__main__":  # regenerate the golden file (see the module docstring)
    from monitor.settings.models import EnrichmentSettings

    from .conftest import RULES

    enricher = Enricher.from_settings(EnrichmentSettings(model="blank"), [RULES])
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(
        json.dumps([_as_data(e) for e in enricher.enrich(_articles())], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
