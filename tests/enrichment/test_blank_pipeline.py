"""The rules-only pipeline (no statistical model, no spaCy): watch lists, figures and signatures still work.

This is what runs when no spaCy model is installed, and the unit tier's way to test enrichment in
milliseconds.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.enrichment import Enricher, StorySignature
from monitor.enrichment import model as model_module
from monitor.errors import ConfigError
from monitor.settings.models import EnrichmentSettings

from .conftest import REPO, RULES, make_article


def test_watch_listed_names_are_entities_resolved_to_their_canonical_name(blank_enricher: Enricher) -> None:
    article = make_article(
        "NK Rosneft and LUKOIL were named, and the Rosneft Oil Company said it would comply. "
        "Zelenskiy welcomed the step, per LSEG data.",
        "Sanctions on Russian oil",
    )
    (enrichment,) = blank_enricher.enrich([article])
    found = [(e.text, e.label, e.canonical, e.watchlist) for e in enrichment.entities if e.watchlist]
    assert found == [
        ("NK Rosneft", "ORG", "Rosneft", "companies"),
        ("LUKOIL", "ORG", "Lukoil", "companies"),
        ("Rosneft Oil Company", "ORG", "Rosneft", "companies"),  # the longest alias wins
        ("Zelenskiy", "PERSON", "Volodymyr Zelensky", "people"),
        ("LSEG", "ORG", "LSEG", "sources"),
    ]


def test_a_case_sensitive_name_matches_only_as_written(blank_enricher: Enricher) -> None:
    (enrichment,) = blank_enricher.enrich([make_article("Shell said it found a shell casing on the beach.")])
    assert [(e.text, e.canonical) for e in enrichment.entities if e.watchlist] == [("Shell", "Shell")]


def test_offsets_and_sentences_refer_to_the_articles_whole_text(blank_enricher: Enricher) -> None:
    article = make_article(
        "Refiners cut runs. Russian seaborne exports held at 2.33 million barrels per day, per LSEG.",
        title="Oil exports steady",
        summary="Exports were steady.",
    )
    (enrichment,) = blank_enricher.enrich([article])
    text = article.field_text("text")
    (figure,) = enrichment.quantities
    assert text[figure.start : figure.end] == "2.33 million barrels per day"
    assert (figure.value, figure.unit, figure.governors[0]) == (2_330_000, "barrels_per_day", "exports")
    lseg = next(e for e in enrichment.entities if e.canonical == "LSEG")
    assert text[lseg.start : lseg.end] == "LSEG"
    assert figure.sentence == lseg.sentence == 3  # title, summary, "Refiners cut runs.", then this one


def test_without_a_model_figures_are_also_reported_as_entities(blank_enricher: Enricher) -> None:
    (enrichment,) = blank_enricher.enrich(
        [make_article("Costs rose 30% to $700m after 137,000 b/d went offline.")]
    )
    labels = [(e.text, e.label) for e in enrichment.entities]
    assert labels == [("30%", "PERCENT"), ("$700m", "MONEY"), ("137,000 b/d", "QUANTITY")]


def test_each_article_gets_a_story_signature(blank_enricher: Enricher) -> None:
    first, empty = blank_enricher.enrich([make_article("Rosneft exports rose.", "Rosneft"), make_article("")])
    signature = StorySignature.from_json(first.story_fingerprint or "")
    assert signature.entities == {"rosneft": 4.0}  # twice, both in the lead
    assert StorySignature.from_json(empty.story_fingerprint or "").minhash == ()
    assert empty.entities == () and empty.quantities == ()


def test_watch_lists_named_in_the_settings_replace_the_rules_folder(tmp_path: Path) -> None:
    path = tmp_path / "ships.yaml"
    path.write_text("watchlist: ships\nentries:\n  - {name: Eagle Bay, aliases: [MT Eagle Bay]}\n")
    enricher = Enricher.from_settings(EnrichmentSettings(model="blank", watchlists=(path,)), [RULES])
    (enrichment,) = enricher.enrich(
        [make_article("The tanker MT Eagle Bay left Primorsk. Rosneft declined comment.")]
    )
    assert [(e.canonical, e.watchlist) for e in enrichment.entities] == [("Eagle Bay", "ships")]


def test_a_broken_watch_list_stops_start_up_with_its_location(tmp_path: Path) -> None:
    (tmp_path / "watchlists").mkdir()
    (tmp_path / "watchlists" / "bad.yaml").write_text("entries:\n  - {name: Acme, labl: ORG}\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:2:18: unknown key 'labl' \(did you mean 'label'\?\)"):
        Enricher.from_settings(EnrichmentSettings(model="blank"), [tmp_path])


def test_without_an_installed_model_the_rule_based_pipeline_runs_and_says_what_is_lost(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(model_module, "DEFAULT_MODELS", ("en_newsmon_absent_sm", "en_newsmon_absent_md"))
    with caplog.at_level(logging.WARNING, logger="monitor.enrichment.model"):
        enricher = Enricher.from_settings(EnrichmentSettings(), [RULES])
    assert (enricher.model_name, enricher.statistical) == ("blank", False)
    (record,) = caplog.records
    assert record.action == "enrichment.model_missing"  # type: ignore[attr-defined]
    assert "en_newsmon_absent_sm, en_newsmon_absent_md" in record.getMessage()
    assert "named entities come from the watch lists only" in record.getMessage()
    (enrichment,) = enricher.enrich([make_article("Lukoil shipped 1.2 million tonnes.")])
    assert [e.canonical for e in enrichment.entities if e.watchlist] == ["Lukoil"]


def test_a_configured_model_that_is_not_installed_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        Enricher.from_settings(
            EnrichmentSettings(model="en_newsmon_absent_sm"), [RULES], model_location="c.yaml:9:10"
        )
    (problem,) = raised.value.problems
    assert str(problem.location) == "c.yaml:9:10"
    assert problem.message == "spaCy model 'en_newsmon_absent_sm' is not installed"


def _without_spacy(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a Python where ``import spacy`` fails, as on an install without the nlp extra."""
    script = "import sys; sys.modules['spacy'] = None\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_without_spacy_installed_the_rules_only_pipeline_runs() -> None:
    result = _without_spacy(
        "from datetime import datetime, UTC\n"
        "from monitor.domain import Article\n"
        "from monitor.enrichment import Enricher\n"
        "from monitor.settings.models import EnrichmentSettings\n"
        "enricher = Enricher.from_settings(EnrichmentSettings(), [__import__('pathlib').Path('rules')])\n"
        "now = datetime(2025, 10, 23, tzinfo=UTC)\n"
        "article = Article(1, 1, 'f', 'u', 'i', 'Lukoil', None, None, '', 'Lukoil sold $2bn.', None, now, now)\n"
        "(e,) = enricher.enrich([article])\n"
        "print(enricher.model_name, [x.canonical or x.label for x in e.entities])\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "blank ['Lukoil', 'Lukoil', 'MONEY']"
    assert (
        "spaCy is not installed (pip install 'newsmon[nlp]'); using the rules-only pipeline" in result.stderr
    )


def test_without_spacy_installed_a_configured_model_is_a_config_error() -> None:
    result = _without_spacy(
        "from monitor.enrichment import Enricher\n"
        "from monitor.errors import ConfigError\n"
        "from monitor.settings.models import EnrichmentSettings\n"
        "try:\n"
        "    Enricher.from_settings(EnrichmentSettings(model='en_core_web_sm'), [])\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "enrichment.model: a spaCy model is configured but spaCy is not installed "
        "(pip install 'newsmon[nlp]', or set enrichment.model: blank)"
    )
