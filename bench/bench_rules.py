"""Rule-matching benchmark (issue: the rule language): articles per second for 10 vs 1,000 rules.

The articles are the shared workload's (``../shared/bench/gen_feeds.py``: 300–800-word news bodies, parsed
and HTML-stripped by ``monitor.parsing`` as the daemon would). The rules are generated like the bundled
keyword rules: each watches one subject (a phrase) with four action words (``lemma: true``) and two
exclusions. Ten watch subjects of the workload's small vocabulary (a company, country or commodity that
turns up in about a third of its articles); the other 990 watch invented names that never occur — the
shape of a real rule portfolio, where most rules are about something most articles do not mention.
The target: 1,000 rules cost at most 3× those 10, because the Aho-Corasick prefilter skips every rule whose
words are absent. A third set (5% of 1,000 rules watching present subjects) shows the cost per rule that
does get evaluated.

    .venv/bin/python bench/bench_rules.py [--feeds 10] [--entries 50] [--runs 5] [--enrich]

``--enrich`` also times the bundled rules (which read entities and quantities) on articles enriched
beforehand by the spaCy stage (enrichment time not included). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from monitor import parsing
from monitor.domain import Article, Enrichment
from monitor.rules import RuleSet, article_from_text, load_rules

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
T0 = datetime(2026, 1, 10, tzinfo=UTC)

PRESENT_SUBJECTS = [
    "Saudi Aramco", "ExxonMobil", "Rosneft", "Gazprom", "Petrobras", "Glencore", "Maersk", "Boeing", "HSBC",
    "Toyota", "Siemens", "Nvidia", "Tesla", "Alibaba", "Russia", "China", "India", "Brazil", "Norway",
    "Nigeria", "Iraq", "Venezuela", "OPEC", "the IMF", "NATO", "crude oil", "natural gas", "iron ore",
    "copper", "wheat", "lithium", "LNG", "Singapore", "Houston", "Riyadh", "Moscow",
]  # fmt: skip
ACTIONS = [
    "strike", "outage", "sanction", "shutdown", "merger", "acquisition", "default", "downgrade", "lawsuit",
    "fine", "recall", "ban", "tariff", "embargo", "investigation", "bankruptcy", "layoff", "protest",
    "explosion", "leak", "delay", "cancel", "approve", "suspend", "resume",
]  # fmt: skip
EXCLUSIONS = ["drill", "rumour", "denied", "exercise", "simulation", "anniversary", "review"]
SYLLABLES = ["kor", "van", "mel", "tri", "zan", "dul", "bex", "sor", "lin", "qua", "rho", "pel", "tav", "nim"]
SUFFIXES = ["Mining", "Bank", "Energy", "Shipping", "Holdings", "Telecom", "Airways", "Steel", "Capital"]


def make_articles(feeds: int, entries: int) -> list[Article]:
    """Generate the shared workload into a temporary folder and parse it as the daemon would."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, str(SHARED_BENCH / "gen_feeds.py"), "init", "--out", folder,
             "--feeds", str(feeds), "--entries", str(entries)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        articles: list[Article] = []
        for path in sorted(Path(folder).glob("feed*")):
            parsed = parsing.parse_feed(path.read_bytes(), url=path.as_uri(), fetched_at=T0)
            for entry in parsed.entries:
                articles.append(
                    article_from_text(
                        entry.content, title=entry.title, summary=entry.summary, article_id=len(articles) + 1
                    )
                )
    return articles


def synthetic_rule(number: int, subject: str, rng: random.Random) -> str:
    actions = rng.sample(ACTIONS, 4)
    excluded = ", ".join(rng.sample(EXCLUSIONS, 2))
    return (
        f"- id: synthetic-{number:04d}\n"
        f"  title: Synthetic rule {number}\n"
        f'  key: "{{subject}}"\n'
        f"  match:\n"
        f'    subject: {{phrases: ["{subject}"]}}\n'
        f"    action: {{phrases: [{', '.join(actions)}], lemma: true}}\n"
        f"    noise: {{phrases: [{excluded}]}}\n"
        f"  condition: subject and action and not noise\n"
        f'  examples: {{match: ["{subject} {actions[0]}"]}}\n'
    )


def absent_subject(rng: random.Random) -> str:
    """An invented name (three syllables and a business word) that the workload never mentions."""
    return f"{''.join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()} {rng.choice(SUFFIXES)}"


def rule_sets(seed: int = 7) -> dict[str, str]:
    """The rule sets compared, as YAML: 10 rules that can match, the same plus 990 that cannot, and a
    mix where one rule in twenty can."""
    rng = random.Random(seed)
    active = [synthetic_rule(n, PRESENT_SUBJECTS[n % len(PRESENT_SUBJECTS)], rng) for n in range(1, 11)]
    absent = [synthetic_rule(n, absent_subject(rng), rng) for n in range(11, 1001)]
    mixed = [
        synthetic_rule(n, rng.choice(PRESENT_SUBJECTS) if rng.random() < 0.05 else absent_subject(rng), rng)
        for n in range(1, 1001)
    ]
    return {
        "10 rules watching subjects the articles mention": "".join(active),
        "the same 10 + 990 rules watching absent subjects": "".join(active + absent),
        "1,000 rules, 5% watching subjects the articles mention": "".join(mixed),
    }


def load_text(text: str, folder: Path, name: str) -> RuleSet:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules([path])


def evaluated_per_article(ruleset: RuleSet, articles: list[Article]) -> float:
    """How many rules get past the prefilter per article, on average."""
    return statistics.mean(
        len(ruleset.index.candidates(ruleset.view(a).found or frozenset())) for a in articles
    )


def time_rules(
    ruleset: RuleSet, articles: list[Article], enrichments: list[Enrichment | None], runs: int
) -> tuple[float, int]:
    """Best-of-``runs`` articles per second, and the matches found (to show the work was real).

    The garbage collector is off while timing, as ``timeit`` does: otherwise a full collection of the
    heap the article parsing left behind lands in whichever rule set happens to be timed first.
    """
    best, matches = float("inf"), 0
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            started = time.perf_counter()
            matches = sum(
                len(ruleset.evaluate(article, enrichment))
                for article, enrichment in zip(articles, enrichments, strict=True)
            )
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    return len(articles) / best, matches


def enrich_all(articles: list[Article]) -> list[Enrichment | None]:
    from monitor.enrichment import Enricher
    from monitor.settings.models import EnrichmentSettings

    enricher = Enricher.from_settings(EnrichmentSettings(), [REPO / "rules"])
    return list(enricher.enrich(articles))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--enrich", action="store_true", help="also time bundled rules on enriched articles")
    args = parser.parse_args(argv)
    articles = make_articles(args.feeds, args.entries)
    size = statistics.mean(len(a.field_text("text")) for a in articles)
    plain: list[Enrichment | None] = [None] * len(articles)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for index, (label, text) in enumerate(rule_sets().items()):
            ruleset = load_text(text, Path(folder), f"set{index}")
            rate, matches = time_rules(ruleset, articles, plain, args.runs)
            rows.append((label, rate, matches, evaluated_per_article(ruleset, articles)))
    bundled = load_rules([REPO / "rules"])
    rate, matches = time_rules(bundled, articles, plain, args.runs)
    evaluated = evaluated_per_article(bundled, articles)
    rows.append((f"{len(bundled.rules)} bundled rules, articles not enriched", rate, matches, evaluated))
    if args.enrich:
        rate, matches = time_rules(bundled, articles, enrich_all(articles), args.runs)
        rows.append((f"{len(bundled.rules)} bundled rules, enriched articles", rate, matches, evaluated))
    print(
        f"{len(articles)} articles, {size / 1000:.1f} KB of text each on average; best of {args.runs} runs\n"
    )
    print("| rules | articles/s | ms/article | rules evaluated per article | matches |")
    print("|---|---:|---:|---:|---:|")
    for label, rate, matches, evaluated in rows:
        print(f"| {label} | {rate:,.0f} | {1000 / rate:.3f} | {evaluated:.1f} | {matches} |")
    ratio = rows[0][1] / rows[1][1]
    print(f"\n1,000 rules cost {ratio:.2f}× the 10 that can match (target: at most 3×)")


if __name__ == "__main__":
    main()
