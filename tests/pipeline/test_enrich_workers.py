"""Enrichment jobs as the worker processes run them: chunks come back in the batch's order, a worker reads
with the configuration its job names, and loads a reloaded one before its next job. (Threads stand in for the
processes here, with the rules-only model; tests/e2e/test_enrichment_workers.py runs the real processes.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from monitor.pipeline import enrich_workers
from monitor.rules import article_from_text
from monitor.settings import Settings, load_settings

RULE = "id: barrels\ntitle: Barrels\nmatch:\n  word: {phrases: [exports]}\n"


def _settings(tmp_path: Path) -> Settings:
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "barrels.yaml").write_text(RULE)
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path / 'db.sqlite'}'}}\n"
        f"rules: {{paths: ['{rules}']}}\n"
        "enrichment: {enabled: true, model: blank, workers: 3}\n"
    )
    return load_settings(config, {})


def test_chunks_come_back_in_the_order_of_the_batch(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    articles = [
        article_from_text(f"Exports reached {n}.{n} million barrels per day in May.", article_id=n)
        for n in range(1, 8)
    ]
    with ThreadPoolExecutor(3) as executor:
        enriching = enrich_workers.start_in_workers(executor, 3, 1, settings, articles)
        assert len(enriching.futures) == 3  # 7 articles: chunks of 3, 3 and 1
        found = enriching.result()
    assert [e.article_id for e in found] == list(range(1, 8))
    assert [e.quantities[0].value for e in found] == pytest.approx([(n + n / 10) * 1e6 for n in range(1, 8)])


def test_a_worker_loads_the_config_of_a_new_generation_before_its_next_job(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    article = (article_from_text("Crude exports held at 2.1 million barrels per day.", article_id=1),)
    enrich_workers.run_job(enrich_workers.EnrichJob(1, settings, article))
    first = enrich_workers._loaded
    enrich_workers.run_job(enrich_workers.EnrichJob(1, settings, article))
    assert enrich_workers._loaded is first  # the same generation: nothing loaded again
    enrich_workers.run_job(enrich_workers.EnrichJob(2, settings, article))
    assert enrich_workers._loaded is not None and enrich_workers._loaded[0] == 2
    assert enrich_workers._loaded[1] is not first[1]  # type: ignore[index]
