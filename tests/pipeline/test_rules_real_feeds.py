"""The bundled rules on the 96 real feed files of ../shared/corpus/feeds/real: exactly the matches judged right.

Every entry of every feed file (the three files that are not feeds aside) is parsed as ``newsmon match``
parses it, enriched by the real model and evaluated by the bundled rules on its own, empty memory — what
each article would alert on if it were the first of its kind. Every match the rules make was read and
judged by hand; the expected set holds the ones judged right:

* ``sanctions-new`` on Talking Points Memo's "Trump Admin Releases Lengthy List Of Strict Rules For
  Americans Visiting Cuba" — a true match: the US State Department published a list of Cuban military-run
  companies and hotels (GAESA, CIMEX, Gaviota, the Manzana Kempinski…) that Americans may no longer do
  business with, new restrictions in force from that Thursday. The article is in three files of the corpus
  (the same feed saved with different ``xml:base`` handling), so it is expected three times.

Judged false, and therefore absent from the expected set: ``demo-port-strike`` on Daring Fireball's
"The iPad Pro" review (an essay whose "strikes" and "port" are ~20,000 characters apart), and
``demo-energy-disruption`` on the Google Cloud blog item titled "Product Manager, Cloud Rendering" (the
author's job, put in the title): how Luma Pictures rendered Spider-Man: Far From Home on Google Cloud —
its render "pipeline" and the "Fire" Elemental character, no energy facility anywhere.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import enrichment, rules
from monitor.pipeline.dryrun import default_http, load_articles
from monitor.settings.models import EnrichmentSettings
from tests.support.corpus import CORPUS_DIR, NOT_FEEDS, corpus_files

REPO = Path(__file__).resolve().parents[2]
BUNDLED_RULES = REPO / "rules"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
CUBA = "Trump Admin Releases Lengthy List Of Strict Rules For Americans Visiting Cuba"

EXPECTED = {
    ("sanctions-new", "node-feedparser__tpm.atom", CUBA),
    ("sanctions-new", "node-feedparser__tpm-with-empty-base.atom", CUBA),
    ("sanctions-new", "node-feedparser__tpm-with-fragment-base.atom", CUBA),
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus/feeds/real is not beside the repo"),
]


def real_matches() -> set[tuple[str, str, str]]:
    """(rule, feed file, article title) of every match, each article on its own memory."""
    files = [str(path) for path in corpus_files() if path.name not in NOT_FEEDS]
    articles, failed = asyncio.run(load_articles(files, default_http(), NOW))
    assert not failed, [item.error for item in failed]
    ruleset = rules.load_rules([BUNDLED_RULES])
    enricher = enrichment.Enricher.from_settings(EnrichmentSettings(), [BUNDLED_RULES])
    found = set()
    for (source, article), enriched in zip(articles, enricher.enrich([a for _, a in articles]), strict=True):
        evaluation = ruleset.evaluate(article, enriched, rules.MemoryStore(), article.published_at)
        found.update((match.rule_id, Path(source).name, article.title) for match in evaluation.matches)
    return found


@pytest.mark.xfail(
    strict=True,
    reason="false positives of demo-port-strike (Daring Fireball 'The iPad Pro') and demo-energy-disruption "
    "(Google Cloud 'Product Manager, Cloud Rendering'); the rule fixes are on another branch",
)
def test_the_bundled_rules_make_exactly_the_judged_matches_on_the_real_feeds() -> None:
    found = real_matches()
    assert sorted(found - EXPECTED) == [], "false positives (or matches not yet judged)"
    assert sorted(EXPECTED - found) == [], "judged matches the rules no longer make"
