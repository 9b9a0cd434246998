"""On-demand enrichment on the shared workload's articles: how much of the text the model reads, and what
it costs, with the bundled rules (issue 10). In-process; the side-by-side (bench/side_by_side.py) times the
whole product.

    .venv/bin/python bench/bench_on_demand.py [--articles 100]

Every phase is timed apart (model-free pass, deciding what the model reads, the model, the rules), so two
commits can be compared phase by phase: run it from a worktree of the other commit with
``PYTHONPATH=WORKTREE``.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from bench_enrichment import _articles

from monitor.domain import EnrichmentNeeds
from monitor.enrichment import Enricher
from monitor.rules import load_rules
from monitor.settings.models import EnrichmentSettings

RULES = Path(__file__).resolve().parents[1] / "rules"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100)
    count = parser.parse_args().articles
    articles = _articles(count)
    rules = load_rules([RULES])
    enricher = Enricher.from_settings(EnrichmentSettings(), [RULES])
    started = time.perf_counter()
    known = enricher.enrich(articles, [EnrichmentNeeds()] * len(articles))
    model_free = time.perf_counter() - started
    started = time.perf_counter()
    views = [rules.view(a) for a in articles]  # as the pipeline does: `needs` and `evaluate` share them
    needs = [
        rules.needs(a, enricher.settings.max_chars, k, v)
        for a, k, v in zip(articles, known, views, strict=True)
    ]
    deciding = time.perf_counter() - started
    total = entity = syntax = whole = 0
    for article, need in zip(articles, needs, strict=True):
        size = len(article.field_text("text")[: enricher.settings.max_chars])
        total += size
        whole += need.everything
        entity += size if need.everything else sum(end - start for start, end in need.entity_windows)
        syntax += sum(end - start for start, end in need.syntax_windows)
    assert enricher.pipeline is not None, "no spaCy model installed: nothing to measure"
    started = time.perf_counter()
    enriched = enricher.enrich(articles, needs, known)
    model = time.perf_counter() - started
    started = time.perf_counter()
    matches = Counter(
        m.rule_id
        for a, e, v in zip(articles, enriched, views, strict=True)
        for m in rules.evaluate(a, e, view=v).matches
    )
    evaluating = time.perf_counter() - started
    spent = model_free + deciding + model + evaluating
    print(
        "| articles | read whole | NER share | parse share | model-free | needs | model | rules "
        "| s/article | matches |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {count} | {whole} | {entity / total:.2f} | {syntax / total:.2f} | {model_free:.2f} s | {deciding:.2f} s "
        f"| {model:.2f} s | {evaluating:.2f} s | {spent / count:.3f} | {dict(matches)} |"
    )


if __name__ == "__main__":
    main()
